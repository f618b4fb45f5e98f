package dev.tessera.trainer;

/**
 * How far the write-back of an evicted partition has got: how many of its first rows are stored. A load
 * that reuses the evicted partition's arrays overwrites a row only once that row is stored, so the next
 * partition streams in behind the one going out and a swap needs no third partition's worth of memory.
 */
public final class WriteBackProgress {
    private int rowsStored;
    private boolean finished;

    /** The progress of a write-back that is already over (for arrays nothing else used). */
    public static WriteBackProgress finished() {
        WriteBackProgress p = new WriteBackProgress();
        p.finish();
        return p;
    }

    /** The first {@code rows} rows are stored; their memory may be reused. */
    public synchronized void stored(int rows) {
        rowsStored = Math.max(rowsStored, rows);
        notifyAll();
    }

    /**
     * The write-back is over (stored or failed; a failure is reported by the buffer, and the training that
     * hears it stops before committing anything): every row may be reused.
     */
    public synchronized void finish() {
        finished = true;
        notifyAll();
    }

    /** Waits until the first {@code rows} rows are stored, or the write-back is over. */
    public synchronized void awaitStored(int rows) {
        while (!finished && rowsStored < rows) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a partition's write-back", e);
            }
        }
    }

    /** Waits until the write-back is over. */
    public void awaitFinished() {
        awaitStored(Integer.MAX_VALUE);
    }
}
