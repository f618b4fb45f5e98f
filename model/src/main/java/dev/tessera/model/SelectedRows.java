package dev.tessera.model;

import java.util.Arrays;

/**
 * Some rows of a stored model, gathered by reading only the partitions that hold one of them, one partition
 * at a time: what a computation over a few entities of a model larger than memory keeps.
 */
public final class SelectedRows implements EmbeddingRows {
    private final int d;
    /** Per type: the distinct selected rows, ascending. */
    private final int[][] selected;
    /** Per type: the selected rows' values, in the order of {@link #selected}. */
    private final float[][] values;

    /** Gathers {@code wanted[type]} (any order, repeats allowed; null or empty: none of that type). */
    public SelectedRows(StoredModel model, int[][] wanted) {
        this.d = model.d;
        int types = model.types();
        selected = new int[types][];
        values = new float[types][];
        for (int t = 0; t < types; t++) {
            int[] rows = wanted[t] == null
                    ? new int[0]
                    : Arrays.stream(wanted[t]).sorted().distinct().toArray();
            selected[t] = rows;
            values[t] = new float[rows.length * d];
            float[] buffer = null;
            int at = 0;
            for (int p = 0; p < model.partitions(t) && at < rows.length; p++) {
                int first = model.firstRow(t, p);
                int end = first + model.partitionRows(t, p);
                if (rows[at] >= end) {
                    continue; // no selected row in this partition: not read
                }
                if (buffer == null) {
                    buffer = model.partitionBuffer(t);
                }
                model.readPartition(t, p, buffer);
                for (; at < rows.length && rows[at] < end; at++) {
                    System.arraycopy(buffer, (rows[at] - first) * d, values[t], at * d, d);
                }
            }
            if (at < rows.length) {
                throw new IllegalArgumentException(
                        "row " + rows[at] + " of type " + t + " is not in the model (" + model.count[t] + " rows)");
            }
        }
    }

    @Override
    public float[] rows(int type, int[] rows) {
        if (rows == null) {
            throw new UnsupportedOperationException("only selected rows are held, not every row of a type");
        }
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            int at = Arrays.binarySearch(selected[type], rows[i]);
            if (at < 0) {
                throw new IllegalArgumentException("row " + rows[i] + " of type " + type + " was not selected");
            }
            System.arraycopy(values[type], at * d, out, i * d, d);
        }
        return out;
    }
}
