package dev.tessera.distributed;

import dev.tessera.trainer.EmbeddingPartition;

/** One of a trainer's home partitions and where it is; guarded by its own lock ({@link PartitionServer}). */
final class HomePartition {
    /** {@link #outTo} when the partition is here. */
    static final int IN = -1;

    final EmbeddingPartition partition;
    /** The trainer it is out to, or {@link #IN}. */
    volatile int outTo = IN;
    /**
     * Adopted from a dead home and not yet fetched nor checked out: a copy a live trainer fetched from the dead
     * home (fresher than the checkpoint's) may still come back in its place.
     */
    boolean recoverable;
    /** The return under way is such a copy. */
    boolean recovering;

    PartitionTransfer.Receiver returning;
    long returningCorrelation;

    HomePartition(EmbeddingPartition partition) {
        this.partition = partition;
    }
}
