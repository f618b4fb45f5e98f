package dev.tessera.trainer;

import dev.tessera.core.config.BucketOrderName;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.Split;
import java.util.List;

/**
 * One trainer's schedule: every bucket with training edges once per epoch, in the configured
 * {@link BucketOrder} (a new permutation per epoch, seeded by the run's seed and the epoch).
 */
public final class LocalBucketSchedule implements BucketSchedule {
    private final GraphMeta meta;
    private final BucketOrderName order;
    private final int bufferPartitions;
    private final long seed;
    private List<int[]> buckets = List.of();
    private int position;

    public LocalBucketSchedule(GraphMeta meta, BucketOrderName order, int bufferPartitions, long seed) {
        this.meta = meta;
        this.order = order;
        this.bufferPartitions = bufferPartitions;
        this.seed = seed;
    }

    @Override
    public int startEpoch(int epoch) {
        buckets = BucketOrder.of(order, meta.numPartitions(), bufferPartitions, seed + epoch);
        position = 0;
        return buckets.size();
    }

    @Override
    public Bucket next() {
        int i = nonEmptyFrom(position);
        position = i + 1;
        return i < buckets.size() ? bucket(i) : null;
    }

    @Override
    public Bucket upcoming() {
        int i = nonEmptyFrom(position);
        return i < buckets.size() ? bucket(i) : null;
    }

    @Override
    public void finished(Bucket bucket) {
        // One trainer holds every partition it needs: nothing to release.
    }

    private int nonEmptyFrom(int from) {
        int i = from;
        while (i < buckets.size() && meta.edgeCount(Split.TRAIN, buckets.get(i)[0], buckets.get(i)[1]) == 0) {
            i++;
        }
        return i;
    }

    private Bucket bucket(int i) {
        return new Bucket(buckets.get(i)[0], buckets.get(i)[1], i);
    }
}
