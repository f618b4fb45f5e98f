package dev.tessera.distributed;

/**
 * Where a distributed job stands in its current epoch, as the lock server on rank 0 sees it.
 *
 * @param epoch          0-based
 * @param bucketsDone    buckets every trainer together has finished
 * @param buckets        buckets in the epoch
 * @param seconds        since the epoch began
 * @param edgesByTrainer training edges each trainer has trained this epoch
 * @param bytesSentByTrainer bytes each trainer has sent since it started (partitions, parameters, messages)
 * @param liveTrainers   trainers not taken for dead, rank 0 included
 * @param joins          restarted trainers let in since the job began
 */
public record JobProgress(
        int epoch,
        int bucketsDone,
        int buckets,
        double seconds,
        long[] edgesByTrainer,
        long[] bytesSentByTrainer,
        int liveTrainers,
        int joins) {
    /** Training edges all trainers have trained this epoch. */
    public long edges() {
        long sum = 0;
        for (long e : edgesByTrainer) {
            sum += e;
        }
        return sum;
    }

    /** Bytes all trainers have sent. */
    public long bytesSent() {
        long sum = 0;
        for (long b : bytesSentByTrainer) {
            sum += b;
        }
        return sum;
    }

    /** Something that wants the job's progress (rank 0 tells it after each of its own buckets). */
    public interface Listener {
        void onJobProgress(JobProgress progress);
    }
}
