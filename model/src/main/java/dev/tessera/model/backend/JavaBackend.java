package dev.tessera.model.backend;

import java.util.Arrays;

/**
 * Plain-Java products over row-major arrays, every one written as axpy loops over contiguous rows, which the
 * JIT vectorises. On the trainer's chunk shapes (tens to a thousand rows of 100–400 floats) there is no
 * per-call overhead to amortise.
 */
public final class JavaBackend implements DenseBackend {

    /** Per-thread transpose buffer: abT turns into axpy form, which the JIT vectorises (dot products it does not). */
    private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);

    @Override
    public void abT(float[] a, float[] b, float[] out, int n, int m, int d, boolean accumulate) {
        float[] bt = TRANSPOSED.get();
        if (bt.length < m * d) {
            bt = new float[m * d];
            TRANSPOSED.set(bt);
        }
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < d; k++) {
                bt[k * m + j] = b[j * d + k];
            }
        }
        if (!accumulate) {
            Arrays.fill(out, 0, n * m, 0f);
        }
        for (int i = 0; i < n; i++) {
            int oi = i * m;
            for (int k = 0; k < d; k++) {
                float w = a[i * d + k];
                if (w != 0f) {
                    axpy(w, bt, k * m, out, oi, m);
                }
            }
        }
    }

    @Override
    public void ab(float[] s, float[] b, float[] out, int n, int m, int d, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(out, 0, n * d, 0f);
        }
        for (int i = 0; i < n; i++) {
            int oi = i * d;
            for (int j = 0; j < m; j++) {
                float w = s[i * m + j];
                if (w != 0f) {
                    axpy(w, b, j * d, out, oi, d);
                }
            }
        }
    }

    @Override
    public void aTb(float[] s, float[] a, float[] out, int n, int m, int d, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(out, 0, m * d, 0f);
        }
        for (int i = 0; i < n; i++) {
            int ai = i * d;
            for (int j = 0; j < m; j++) {
                float w = s[i * m + j];
                if (w != 0f) {
                    axpy(w, a, ai, out, j * d, d);
                }
            }
        }
    }

    /** Dot product of two rows, four partial sums so the loop is not one long dependency chain. */
    public static float dot(float[] x, int xOff, float[] y, int yOff, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            s0 += x[xOff + k] * y[yOff + k];
            s1 += x[xOff + k + 1] * y[yOff + k + 1];
            s2 += x[xOff + k + 2] * y[yOff + k + 2];
            s3 += x[xOff + k + 3] * y[yOff + k + 3];
        }
        for (; k < d; k++) {
            s0 += x[xOff + k] * y[yOff + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y[yOff..] += w · x[xOff..]} over d elements. */
    public static void axpy(float w, float[] x, int xOff, float[] y, int yOff, int d) {
        for (int k = 0; k < d; k++) {
            y[yOff + k] += w * x[xOff + k];
        }
    }
}
