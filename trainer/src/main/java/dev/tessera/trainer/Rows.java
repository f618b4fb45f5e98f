package dev.tessera.trainer;

/** Sums over rows of {@code d} floats laid out one after another, as the chunk's gradients are. */
final class Rows {
    private Rows() {}

    /** Adds row {@code fromRow} of {@code from} to row {@code toRow} of {@code to}. */
    static void add(float[] from, int fromRow, float[] to, int toRow, int d) {
        for (int k = 0; k < d; k++) {
            to[toRow * d + k] += from[fromRow * d + k];
        }
    }

    /** Adds the first {@code rows} rows of {@code g} into the single row {@code out}. */
    static void sum(float[] g, int rows, float[] out, int d) {
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < d; k++) {
                out[k] += g[i * d + k];
            }
        }
    }

    /** Whether row {@code row} of {@code g} is all zeros (either sign): an OR over the bits, which the JIT vectorises. */
    static boolean isZero(float[] g, int row, int d) {
        int bits = 0;
        for (int k = row * d; k < (row + 1) * d; k++) {
            bits |= Float.floatToRawIntBits(g[k]);
        }
        return (bits & 0x7fffffff) == 0;
    }
}
