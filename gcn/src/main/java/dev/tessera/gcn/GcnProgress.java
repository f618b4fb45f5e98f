package dev.tessera.gcn;

/** Called after each epoch (full batch) or each logging interval (mini-batches), for progress displays. */
@FunctionalInterface
public interface GcnProgress {
    GcnProgress NONE = (epoch, epochs, loss, validAccuracy, secondsSoFar) -> {};

    void epochDone(int epoch, int epochs, double loss, double validAccuracy, double secondsSoFar);
}
