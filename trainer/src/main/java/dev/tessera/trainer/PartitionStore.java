package dev.tessera.trainer;

import java.util.Map;
import java.util.Set;

/**
 * Where a bucket's embedding partitions come from and where they go back to: the second of the training
 * loop's seams. On one machine the checkpoint store through a {@link PartitionBuffer}
 * ({@link CheckpointPartitionStore}); across machines the partitions' home trainers. Partitions are keyed
 * by {@link PartitionBuffer#key}.
 */
public interface PartitionStore extends AutoCloseable {
    /**
     * Begins an epoch whose partitions are written to checkpoint data version {@code working}; a partition not
     * yet written in it is read from the version {@code previous[type][part]} names (0: initialise it).
     */
    void startEpoch(int working, int[][] previous);

    /** The partitions a bucket needs, loaded (waiting for them if needed) and held until the next call. */
    Map<Long, EmbeddingPartition> acquire(Set<Long> needed);

    /** Starts loading the next bucket's partitions, giving up none of {@code pinned}. */
    void prefetch(Set<Long> next, Set<Long> pinned);

    /**
     * Ends the epoch: every partition is stored in the working version or still where {@code previous} put it.
     * Returns the data version that holds each partition now, {@code [type][part]}.
     */
    int[][] finishEpoch();

    /** Nanoseconds training has waited on partitions so far. */
    long waitNanos();

    /** Partitions loaded so far. */
    int loads();

    @Override
    void close();
}
