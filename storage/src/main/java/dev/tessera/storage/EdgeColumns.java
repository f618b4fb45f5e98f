package dev.tessera.storage;

import java.util.Arrays;

/**
 * Growable edge columns, plain arrays for hot loops, that {@link EdgeBlockCursor#readInto} decodes blocks
 * into, so a scan allocates nothing per block. A trainer rereads every bucket each epoch; decoding each block
 * into fresh arrays left a bucket's size in garbage every time, which grew the heap of partitioned training.
 * Edges {@code [0, size)} are valid; the arrays may be longer.
 */
public class EdgeColumns {
    public int size;
    public int[] rel = new int[0];
    public int[] lhs = new int[0];
    public int[] rhs = new int[0];
    /** Edge weights, or null while every edge appended so far weighs 1 (then unweighted edges weigh 1). */
    public float[] weight;

    /**
     * Makes room for {@code n} more edges after the current ones (with weights if {@code weighted}) and
     * returns the index of the first; the arrays may be replaced by bigger ones.
     */
    public int append(int n, boolean weighted) {
        if (size + n > rel.length) {
            int cap = Math.max(rel.length * 2, size + n);
            rel = Arrays.copyOf(rel, cap);
            lhs = Arrays.copyOf(lhs, cap);
            rhs = Arrays.copyOf(rhs, cap);
            if (weight != null) {
                weight = Arrays.copyOf(weight, cap);
            }
        }
        if (weighted) {
            weights();
        }
        if (weight != null && !weighted) {
            Arrays.fill(weight, size, size + n, 1f);
        }
        int at = size;
        size += n;
        return at;
    }

    /** The weights, stored explicitly (1 for every edge so far) if they were not yet. */
    public float[] weights() {
        if (weight == null) {
            weight = new float[rel.length];
            Arrays.fill(weight, 0, size, 1f);
        }
        return weight;
    }
}
