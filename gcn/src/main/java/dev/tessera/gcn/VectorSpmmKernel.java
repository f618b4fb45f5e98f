package dev.tessera.gcn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SpMM loop on the Vector API (see {@link SpmmKernel}): each output row's sums stay in vector registers
 * while its entries stream past, and each entry's row of H is read in whole vectors. The scalar loop leaves
 * that to the JIT's auto-vectoriser, which only vectorises loops of several vectors' length and so runs
 * k = 16 (one 512-bit vector) scalar: measured 5.5× (k = 16) and 4.8× (k = 64) faster than it on a 1M-node
 * graph laid out at random, at 0.96 and 0.80 of the rate at which this machine gathers H's rows
 * (docs/benchmarks.md, "GCN").
 *
 * <p>Columns go in the widest blocks that fit: four vectors per entry while they last (one multiply-add
 * chain per vector, four loads in flight per entry), then one vector with entries four at a time (four
 * chains), then 128-bit vectors, then scalars for the last {@code k mod 4} columns. Species are constants:
 * the JIT compiles vector operations to instructions only for a species it can see.
 */
final class VectorSpmmKernel implements SpmmKernel {
    private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> NARROW = FloatVector.SPECIES_128;
    private static final int W = WIDE.length();
    private static final int N = NARROW.length();

    @Override
    public void multiplyRows(
            int[] rowStart, int[] colIndex, float[] values, int fromRow, int toRow, float[] dense, int k, float[] out) {
        for (int r = fromRow; r < toRow; r++) {
            int start = rowStart[r];
            int end = rowStart[r + 1];
            int o = r * k;
            int j = 0;
            for (; j + 4 * W <= k; j += 4 * W) {
                fourVectors(colIndex, values, start, end, dense, k, j, out, o + j);
            }
            for (; j + W <= k; j += W) {
                oneVector(colIndex, values, start, end, dense, k, j, out, o + j);
            }
            for (; j + N <= k; j += N) {
                oneNarrowVector(colIndex, values, start, end, dense, k, j, out, o + j);
            }
            for (; j < k; j++) {
                float s = 0f;
                for (int i = start; i < end; i++) {
                    s += values[i] * dense[colIndex[i] * k + j];
                }
                out[o + j] = s;
            }
        }
    }

    /** Columns {@code [j, j + 4W)} of one output row. */
    private static void fourVectors(
            int[] colIndex, float[] values, int start, int end, float[] dense, int k, int j, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(WIDE);
        FloatVector a1 = FloatVector.zero(WIDE);
        FloatVector a2 = FloatVector.zero(WIDE);
        FloatVector a3 = FloatVector.zero(WIDE);
        for (int i = start; i < end; i++) {
            int d = colIndex[i] * k + j;
            FloatVector v = FloatVector.broadcast(WIDE, values[i]);
            a0 = FloatVector.fromArray(WIDE, dense, d).fma(v, a0);
            a1 = FloatVector.fromArray(WIDE, dense, d + W).fma(v, a1);
            a2 = FloatVector.fromArray(WIDE, dense, d + 2 * W).fma(v, a2);
            a3 = FloatVector.fromArray(WIDE, dense, d + 3 * W).fma(v, a3);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + W);
        a2.intoArray(out, o + 2 * W);
        a3.intoArray(out, o + 3 * W);
    }

    /** Columns {@code [j, j + W)} of one output row, entries four at a time into four sums. */
    private static void oneVector(
            int[] colIndex, float[] values, int start, int end, float[] dense, int k, int j, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(WIDE);
        FloatVector a1 = FloatVector.zero(WIDE);
        FloatVector a2 = FloatVector.zero(WIDE);
        FloatVector a3 = FloatVector.zero(WIDE);
        int i = start;
        for (; i + 3 < end; i += 4) {
            a0 = FloatVector.fromArray(WIDE, dense, colIndex[i] * k + j)
                    .fma(FloatVector.broadcast(WIDE, values[i]), a0);
            a1 = FloatVector.fromArray(WIDE, dense, colIndex[i + 1] * k + j)
                    .fma(FloatVector.broadcast(WIDE, values[i + 1]), a1);
            a2 = FloatVector.fromArray(WIDE, dense, colIndex[i + 2] * k + j)
                    .fma(FloatVector.broadcast(WIDE, values[i + 2]), a2);
            a3 = FloatVector.fromArray(WIDE, dense, colIndex[i + 3] * k + j)
                    .fma(FloatVector.broadcast(WIDE, values[i + 3]), a3);
        }
        for (; i < end; i++) {
            a0 = FloatVector.fromArray(WIDE, dense, colIndex[i] * k + j)
                    .fma(FloatVector.broadcast(WIDE, values[i]), a0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(out, o);
    }

    /** Columns {@code [j, j + N)} with 128-bit vectors: the rest of a k that is not a multiple of W. */
    private static void oneNarrowVector(
            int[] colIndex, float[] values, int start, int end, float[] dense, int k, int j, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(NARROW);
        FloatVector a1 = FloatVector.zero(NARROW);
        int i = start;
        for (; i + 1 < end; i += 2) {
            a0 = FloatVector.fromArray(NARROW, dense, colIndex[i] * k + j)
                    .fma(FloatVector.broadcast(NARROW, values[i]), a0);
            a1 = FloatVector.fromArray(NARROW, dense, colIndex[i + 1] * k + j)
                    .fma(FloatVector.broadcast(NARROW, values[i + 1]), a1);
        }
        if (i < end) {
            a0 = FloatVector.fromArray(NARROW, dense, colIndex[i] * k + j)
                    .fma(FloatVector.broadcast(NARROW, values[i]), a0);
        }
        a0.add(a1).intoArray(out, o);
    }

    @Override
    public String toString() {
        return W * 32 + "-bit floats (" + W + " lanes)";
    }
}
