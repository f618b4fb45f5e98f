package dev.tessera.distributed;

/**
 * A way to stop a distributed trainer from outside its thread: once {@link #abort} is called (or the
 * trainer's thread is interrupted, as Spark does to the other tasks of a failed barrier stage), every wait
 * of the trainer — for a reply, a partition, a free bucket, the other trainers — ends with a
 * {@link TransferException} saying why, instead of waiting out its timeout.
 */
public final class TrainerAbort {
    private volatile String reason;
    private volatile boolean jobStarted;

    /** Stops the trainer's waits; the first reason given is the one reported. */
    public void abort(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    /**
     * Stops the trainer's waits if the job has not started yet (its trainers are still joining): a trainer that
     * fails then (a bad config, a wrong secret) is a failure of the job, while one that dies once training runs
     * is a fault the others survive. True if it stopped them.
     */
    public boolean abortBeforeStart(String why) {
        if (jobStarted) {
            return false;
        }
        abort(why);
        return true;
    }

    /** Every trainer has joined. */
    void jobStarted() {
        jobStarted = true;
    }

    /** Throws if the trainer was aborted or its thread interrupted. */
    void check() {
        String why = reason;
        if (why != null) {
            throw new TransferException("training stopped: " + why);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new TransferException("training stopped: the trainer's thread was interrupted");
        }
    }
}
