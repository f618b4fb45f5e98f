package dev.tessera.gcn;

import java.util.Arrays;

/** The SpMM loop in plain Java, for JVMs without the Vector API module (see {@link SpmmKernel}). */
public final class ScalarSpmmKernel implements SpmmKernel {
    @Override
    public void multiplyRows(
            int[] rowStart, int[] colIndex, float[] values, int fromRow, int toRow, float[] dense, int k, float[] out) {
        // A row's sum builds up in a local array, written out once: accumulating into out itself makes the JIT
        // store every partial sum (out and dense might alias), and the loop stops vectorising (1.8× slower).
        // Entries go four at a time (then two), which quarters the loads and stores of the accumulator per
        // multiply-add and keeps four independent row gathers in flight.
        float[] acc = new float[k];
        for (int r = fromRow; r < toRow; r++) {
            Arrays.fill(acc, 0f);
            int i = rowStart[r];
            int end = rowStart[r + 1];
            for (; i + 3 < end; i += 4) {
                float v0 = values[i];
                float v1 = values[i + 1];
                float v2 = values[i + 2];
                float v3 = values[i + 3];
                int d0 = colIndex[i] * k;
                int d1 = colIndex[i + 1] * k;
                int d2 = colIndex[i + 2] * k;
                int d3 = colIndex[i + 3] * k;
                for (int j = 0; j < k; j++) {
                    acc[j] += (v0 * dense[d0 + j] + v1 * dense[d1 + j]) + (v2 * dense[d2 + j] + v3 * dense[d3 + j]);
                }
            }
            if (i + 1 < end) {
                float v0 = values[i];
                float v1 = values[i + 1];
                int d0 = colIndex[i] * k;
                int d1 = colIndex[i + 1] * k;
                for (int j = 0; j < k; j++) {
                    acc[j] += v0 * dense[d0 + j] + v1 * dense[d1 + j];
                }
                i += 2;
            }
            if (i < end) {
                float v = values[i];
                int d = colIndex[i] * k;
                for (int j = 0; j < k; j++) {
                    acc[j] += v * dense[d + j];
                }
            }
            System.arraycopy(acc, 0, out, r * k, k);
        }
    }

    @Override
    public String toString() {
        return "scalar";
    }
}
