package dev.tessera.storage;

/**
 * Growable edge columns that {@link EdgeBlockCursor#readInto} decodes blocks into, so a scan allocates
 * nothing per block. A trainer rereads every bucket each epoch; decoding each block into fresh arrays left
 * a bucket's size in garbage every time, which grew the heap of partitioned training.
 */
public interface EdgeColumns {
    /**
     * Makes room for {@code n} more edges after the current ones (with weights if {@code weighted}) and
     * returns the index of the first; the columns' arrays may be replaced by bigger ones.
     */
    int append(int n, boolean weighted);

    int[] rel();

    int[] lhs();

    int[] rhs();

    /** The weight column; asked for only after an {@code append(n, true)}. */
    float[] weights();
}
