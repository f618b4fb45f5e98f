package dev.tessera.model;

import dev.tessera.core.config.ComparatorName;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.model.backend.JavaBackend;

/** PBG's comparators: dot and cos (dot of normalised rows), l2 and squared_l2 (negated distances). */
final class Comparators {
    /** Below this a row's norm or squared distance is treated as this, as PBG clamps, so gradients stay finite. */
    static final float EPS = 1e-12f;

    private static final float SQRT_EPS = (float) Math.sqrt(EPS);

    private Comparators() {}

    static final class Dot implements Comparator {
        private final boolean normalise;

        Dot(boolean normalise) {
            this.normalise = normalise;
        }

        @Override
        public ComparatorName name() {
            return normalise ? ComparatorName.COS : ComparatorName.DOT;
        }

        @Override
        public boolean transformsRows() {
            return normalise;
        }

        @Override
        public void prepare(float[] x, float[] out, int n, int d) {
            if (!normalise) {
                System.arraycopy(x, 0, out, 0, n * d);
                return;
            }
            for (int i = 0; i < n; i++) {
                float norm = (float) Math.sqrt(Math.max(JavaBackend.dot(x, i * d, x, i * d, d), EPS));
                for (int k = 0; k < d; k++) {
                    out[i * d + k] = x[i * d + k] / norm;
                }
            }
        }

        @Override
        public void prepareBackward(float[] x, float[] dOut, float[] dx, int n, int d) {
            if (!normalise) {
                System.arraycopy(dOut, 0, dx, 0, n * d);
                return;
            }
            // y = x/|x|: dx = (dy - y (y·dy)) / |x|
            for (int i = 0; i < n; i++) {
                int o = i * d;
                float norm = (float) Math.sqrt(Math.max(JavaBackend.dot(x, o, x, o, d), EPS));
                float ydy = JavaBackend.dot(x, o, dOut, o, d) / norm;
                for (int k = 0; k < d; k++) {
                    dx[o + k] = (dOut[o + k] - x[o + k] / norm * ydy) / norm;
                }
            }
        }

        @Override
        public void pairs(float[] a, float[] b, float[] out, int n, int d) {
            for (int i = 0; i < n; i++) {
                out[i] = JavaBackend.dot(a, i * d, b, i * d, d);
            }
        }

        @Override
        public void pairsBackward(float[] a, float[] b, float[] dOut, float[] da, float[] db, int n, int d) {
            for (int i = 0; i < n; i++) {
                JavaBackend.axpy(dOut[i], b, i * d, da, i * d, d);
                JavaBackend.axpy(dOut[i], a, i * d, db, i * d, d);
            }
        }

        @Override
        public void all(DenseBackend backend, float[] a, float[] b, float[] out, int n, int m, int d) {
            backend.abT(a, b, out, n, m, d, false);
        }

        @Override
        public void allBackward(
                DenseBackend backend,
                float[] a,
                float[] b,
                float[] scores,
                float[] dOut,
                float[] da,
                float[] db,
                int n,
                int m,
                int d) {
            backend.gradients(dOut, a, b, da, db, n, m, d);
        }
    }

    /**
     * {@code -|a-b|²} (squared) or {@code -|a-b|}. All pairs use {@code |a|² + |b|² - 2 a·b}, so the n×m block
     * is one GEMM; the distance's gradient {@code 2(a-b)} splits the same way.
     */
    static final class L2 implements Comparator {
        private final boolean squared;
        // Scratch, grown on demand: an instance serves one thread (each trainer worker creates its own).
        private float[] columnNorms = new float[0];
        private float[] h = new float[0];
        private float[] rowSums = new float[0];
        private float[] columnSums = new float[0];
        /**
         * One row of scores at index 0, beside the per-column arrays: JDK 17 keeps a loop scalar when its arrays
         * are offset from each other by a variable (8 times slower on these loops).
         */
        private float[] row = new float[0];

        L2(boolean squared) {
            this.squared = squared;
        }

        @Override
        public ComparatorName name() {
            return squared ? ComparatorName.SQUARED_L2 : ComparatorName.L2;
        }

        @Override
        public boolean transformsRows() {
            return false;
        }

        @Override
        public void prepare(float[] x, float[] out, int n, int d) {
            System.arraycopy(x, 0, out, 0, n * d);
        }

        @Override
        public void prepareBackward(float[] x, float[] dOut, float[] dx, int n, int d) {
            System.arraycopy(dOut, 0, dx, 0, n * d);
        }

        /** Score from a squared distance. */
        private float score(float sq) {
            return squared ? -sq : -(float) Math.sqrt(Math.max(sq, EPS));
        }

        /** ∂score/∂(squared distance). */
        private float dScore(float sq) {
            if (squared) {
                return -1f;
            }
            return sq < EPS ? 0f : -0.5f / (float) Math.sqrt(sq);
        }

        @Override
        public void pairs(float[] a, float[] b, float[] out, int n, int d) {
            for (int i = 0; i < n; i++) {
                out[i] = score(sqDist(a, b, i * d, d));
            }
        }

        private static float sqDist(float[] a, float[] b, int o, int d) {
            float s = 0;
            for (int k = 0; k < d; k++) {
                float t = a[o + k] - b[o + k];
                s += t * t;
            }
            return s;
        }

        @Override
        public void pairsBackward(float[] a, float[] b, float[] dOut, float[] da, float[] db, int n, int d) {
            for (int i = 0; i < n; i++) {
                int o = i * d;
                float g = 2 * dOut[i] * dScore(sqDist(a, b, o, d));
                for (int k = 0; k < d; k++) {
                    float t = g * (a[o + k] - b[o + k]);
                    da[o + k] += t;
                    db[o + k] -= t;
                }
            }
        }

        @Override
        public void all(DenseBackend backend, float[] a, float[] b, float[] out, int n, int m, int d) {
            backend.abT(a, b, out, n, m, d, false);
            columnNorms = norms(b, m, d, columnNorms);
            float[] nb = columnNorms;
            float[] r = row = grow(row, m);
            for (int i = 0; i < n; i++) {
                float na = JavaBackend.dot(a, i * d, a, i * d, d);
                System.arraycopy(out, i * m, r, 0, m);
                // Separate loops per variant keep each one simple enough for the JIT to vectorise.
                if (squared) {
                    for (int j = 0; j < m; j++) {
                        r[j] = -Math.max(0f, na + nb[j] - 2 * r[j]);
                    }
                } else {
                    for (int j = 0; j < m; j++) {
                        r[j] = -(float) Math.sqrt(Math.max(na + nb[j] - 2 * r[j], EPS));
                    }
                }
                System.arraycopy(r, 0, out, i * m, m);
            }
        }

        @Override
        public void allBackward(
                DenseBackend backend,
                float[] a,
                float[] b,
                float[] scores,
                float[] dOut,
                float[] da,
                float[] db,
                int n,
                int m,
                int d) {
            // With g_ij = dOut_ij · ∂score/∂sq_ij: ∂/∂a_i = Σ_j 2 g_ij (a_i - b_j), ∂/∂b_j = Σ_i 2 g_ij (b_j - a_i),
            // so h = -2g makes them one product each plus row and column sums of 2g.
            h = grow(h, n * m);
            float[] rowSum = grow(rowSums, n);
            float[] colSum = grow(columnSums, m);
            rowSums = rowSum;
            columnSums = colSum;
            java.util.Arrays.fill(colSum, 0, m, 0f);
            if (squared) {
                for (int k = 0; k < n * m; k++) {
                    h[k] = 2 * dOut[k];
                }
            } else {
                for (int k = 0; k < n * m; k++) {
                    // ∂score/∂sq is 0 where the distance was clamped (the score is exactly -√EPS there, and below
                    // it everywhere else): 1 or 0 without a branch, which would keep the loop scalar.
                    float unclamped = Math.min(Math.max((-SQRT_EPS - scores[k]) * 1e30f, 0f), 1f);
                    h[k] = unclamped * (-dOut[k] / scores[k]);
                }
            }
            float[] r = row = grow(row, m);
            for (int i = 0; i < n; i++) {
                System.arraycopy(h, i * m, r, 0, m);
                for (int j = 0; j < m; j++) {
                    colSum[j] -= r[j];
                }
                rowSum[i] = -FastMath.sum(r, 0, m);
            }
            backend.gradients(h, a, b, da, db, n, m, d);
            for (int i = 0; i < n; i++) {
                JavaBackend.axpy(rowSum[i], a, i * d, da, i * d, d);
            }
            for (int j = 0; j < m; j++) {
                JavaBackend.axpy(colSum[j], b, j * d, db, j * d, d);
            }
        }

        private static float[] norms(float[] x, int rows, int d, float[] into) {
            float[] out = grow(into, rows);
            for (int j = 0; j < rows; j++) {
                out[j] = JavaBackend.dot(x, j * d, x, j * d, d);
            }
            return out;
        }

        private static float[] grow(float[] x, int size) {
            return x.length >= size ? x : new float[size];
        }
    }
}
