package dev.tessera.trainer;

import dev.tessera.storage.Checkpoint;

/** Progress of a training run, for progress displays and the Java API. */
public interface TrainingListener {
    /** After each bucket: edges trained so far in this epoch out of the epoch's total, and the running loss. */
    default void onBucket(int epoch, int bucket, int buckets, long edgesDone, long edgesTotal, double meanLoss) {}

    /** After each epoch's checkpoint is committed. */
    default void onEpoch(int epoch, double meanLoss, double edgesPerSecond) {}

    /** When an epoch's checkpoint commits (before {@link #onEpoch}), with the run's history so far. */
    default void onCheckpoint(Checkpoint checkpoint) {}
}
