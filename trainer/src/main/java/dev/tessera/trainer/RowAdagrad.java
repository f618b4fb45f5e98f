package dev.tessera.trainer;

/**
 * Row-wise Adagrad (PBG's optimizer for embeddings): one accumulator per row holds the running sum of the
 * row gradient's mean square, so the state costs one float per entity instead of d.
 */
public final class RowAdagrad {
    private static final float EPS = 1e-10f;

    private RowAdagrad() {}

    /** Applies gradient {@code g[gOff, gOff+d)} to row {@code row}; clips the row to {@code maxNorm} if > 0. */
    public static void update(
            float[] emb, float[] state, int row, float[] g, int gOff, int d, float lr, float maxNorm) {
        float sq = dev.tessera.model.backend.JavaBackend.dot(g, gOff, g, gOff, d);
        float acc = state[row] + sq / d;
        state[row] = acc;
        float step = lr / ((float) Math.sqrt(acc) + EPS);
        int o = row * d;
        for (int k = 0; k < d; k++) {
            emb[o + k] -= step * g[gOff + k];
        }
        if (maxNorm > 0) {
            float n = 0;
            for (int k = 0; k < d; k++) {
                n += emb[o + k] * emb[o + k];
            }
            if (n > maxNorm * maxNorm) {
                float scale = maxNorm / (float) Math.sqrt(n);
                for (int k = 0; k < d; k++) {
                    emb[o + k] *= scale;
                }
            }
        }
    }

    /**
     * Loads one float from every cache line of a row and returns their sum: independent loads that the CPU
     * overlaps across rows, unlike the misses of an update loop, each of which waits behind a row of
     * arithmetic.
     */
    static float touchRow(float[] emb, int row, int d) {
        int o = row * d;
        float s = emb[o + d - 1];
        for (int k = 0; k < d; k += 16) {
            s += emb[o + k];
        }
        return s;
    }

    /**
     * Element-wise Adagrad for parameter vectors (relation operators, global embeddings); reads the first
     * {@code p.length} entries of {@code g}, which may be a longer scratch buffer.
     */
    public static void updateElementwise(float[] p, float[] state, float[] g, float lr) {
        for (int k = 0; k < p.length; k++) {
            state[k] += g[k] * g[k];
            p[k] -= lr * g[k] / ((float) Math.sqrt(state[k]) + EPS);
        }
    }
}
