package dev.tessera.trainer;

/**
 * Which bucket a trainer trains next, and when an epoch is done: the first of the training loop's three
 * seams. On one machine the configured bucket order ({@link LocalBucketSchedule}); across machines a lock
 * server that hands each trainer a bucket whose partitions no other trainer holds.
 */
public interface BucketSchedule {
    /** Begins epoch {@code epoch} (0-based); returns how many buckets it has in all, for progress. */
    int startEpoch(int epoch);

    /** The next bucket to train, or null when this epoch has none left for this trainer. */
    Bucket next();

    /**
     * The bucket likely to follow the one {@link #next} returned last, so that its partitions can load while
     * that one trains; null when none is known.
     */
    Bucket upcoming();

    /** {@code bucket} is trained: its partitions may go to another trainer. */
    void finished(Bucket bucket);

    /**
     * {@code bucket} was not trained: its partitions could not be had ({@link PartitionsUnavailableException}).
     * A schedule whose partitions cannot be unavailable (one machine's) never sees this and refuses it.
     */
    default void abandoned(Bucket bucket) {
        throw new IllegalStateException(
                "bucket (" + bucket.lhs() + ", " + bucket.rhs() + ") cannot be handed back to this schedule");
    }
}
