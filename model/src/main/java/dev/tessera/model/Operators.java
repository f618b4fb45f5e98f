package dev.tessera.model;

import dev.tessera.core.config.OperatorName;
import java.util.Arrays;

/** The six operators of PBG. */
final class Operators {
    private Operators() {}

    static final class Identity implements Operator {
        @Override
        public OperatorName name() {
            return OperatorName.NONE;
        }

        @Override
        public int parameterCount(int d) {
            return 0;
        }

        @Override
        public void initialize(float[] params, int d) {}

        @Override
        public void forward(float[] params, float[] x, float[] y, int from, int to, int d) {
            System.arraycopy(x, from * d, y, from * d, (to - from) * d);
        }

        @Override
        public void backward(
                float[] params, float[] x, float[] dy, float[] dx, float[] dParams, int from, int to, int d) {
            System.arraycopy(dy, from * d, dx, from * d, (to - from) * d);
        }
    }

    /** {@code y = x + t}. */
    static final class Translation implements Operator {
        @Override
        public OperatorName name() {
            return OperatorName.TRANSLATION;
        }

        @Override
        public int parameterCount(int d) {
            return d;
        }

        @Override
        public void initialize(float[] params, int d) {
            Arrays.fill(params, 0, d, 0f);
        }

        @Override
        public void forward(float[] t, float[] x, float[] y, int from, int to, int d) {
            for (int i = from; i < to; i++) {
                for (int k = 0; k < d; k++) {
                    y[i * d + k] = x[i * d + k] + t[k];
                }
            }
        }

        @Override
        public void backward(float[] t, float[] x, float[] dy, float[] dx, float[] dt, int from, int to, int d) {
            System.arraycopy(dy, from * d, dx, from * d, (to - from) * d);
            for (int i = from; i < to; i++) {
                for (int k = 0; k < d; k++) {
                    dt[k] += dy[i * d + k];
                }
            }
        }
    }

    /** {@code y = x ⊙ s}. */
    static final class Diagonal implements Operator {
        @Override
        public OperatorName name() {
            return OperatorName.DIAGONAL;
        }

        @Override
        public int parameterCount(int d) {
            return d;
        }

        @Override
        public void initialize(float[] params, int d) {
            Arrays.fill(params, 0, d, 1f);
        }

        @Override
        public void forward(float[] s, float[] x, float[] y, int from, int to, int d) {
            for (int i = from; i < to; i++) {
                for (int k = 0; k < d; k++) {
                    y[i * d + k] = x[i * d + k] * s[k];
                }
            }
        }

        @Override
        public void backward(float[] s, float[] x, float[] dy, float[] dx, float[] ds, int from, int to, int d) {
            for (int i = from; i < to; i++) {
                for (int k = 0; k < d; k++) {
                    dx[i * d + k] = dy[i * d + k] * s[k];
                    ds[k] += dy[i * d + k] * x[i * d + k];
                }
            }
        }
    }

    /** {@code y = M x} (linear) or {@code y = M x + t} (affine); M is d×d row-major, t follows it. */
    static final class Linear implements Operator {
        private final boolean affine;

        Linear(boolean affine) {
            this.affine = affine;
        }

        @Override
        public OperatorName name() {
            return affine ? OperatorName.AFFINE : OperatorName.LINEAR;
        }

        @Override
        public int parameterCount(int d) {
            return d * d + (affine ? d : 0);
        }

        @Override
        public void initialize(float[] params, int d) {
            Arrays.fill(params, 0, parameterCount(d), 0f);
            for (int k = 0; k < d; k++) {
                params[k * d + k] = 1f;
            }
        }

        @Override
        public void forward(float[] p, float[] x, float[] y, int from, int to, int d) {
            for (int i = from; i < to; i++) {
                for (int r = 0; r < d; r++) {
                    float s = affine ? p[d * d + r] : 0f;
                    for (int c = 0; c < d; c++) {
                        s += p[r * d + c] * x[i * d + c];
                    }
                    y[i * d + r] = s;
                }
            }
        }

        @Override
        public void backward(float[] p, float[] x, float[] dy, float[] dx, float[] dp, int from, int to, int d) {
            Arrays.fill(dx, from * d, to * d, 0f);
            for (int i = from; i < to; i++) {
                for (int r = 0; r < d; r++) {
                    float g = dy[i * d + r];
                    if (affine) {
                        dp[d * d + r] += g;
                    }
                    for (int c = 0; c < d; c++) {
                        dx[i * d + c] += p[r * d + c] * g;
                        dp[r * d + c] += g * x[i * d + c];
                    }
                }
            }
        }
    }

    /**
     * ComplEx's operator: the first half of a row is the real part, the second the imaginary part, and the
     * row is multiplied element-wise by the complex parameter vector {@code r = (re, im)}.
     */
    static final class ComplexDiagonal implements Operator {
        @Override
        public OperatorName name() {
            return OperatorName.COMPLEX_DIAGONAL;
        }

        @Override
        public int parameterCount(int d) {
            if (d % 2 != 0) {
                throw new IllegalArgumentException("complex_diagonal needs an even dimension, got " + d);
            }
            return d;
        }

        @Override
        public void initialize(float[] params, int d) {
            int h = d / 2;
            Arrays.fill(params, 0, h, 1f);
            Arrays.fill(params, h, d, 0f);
        }

        @Override
        public void forward(float[] r, float[] x, float[] y, int from, int to, int d) {
            int h = d / 2;
            for (int i = from; i < to; i++) {
                int o = i * d;
                for (int k = 0; k < h; k++) {
                    float xr = x[o + k];
                    float xi = x[o + h + k];
                    y[o + k] = xr * r[k] - xi * r[h + k];
                    y[o + h + k] = xr * r[h + k] + xi * r[k];
                }
            }
        }

        @Override
        public void backward(float[] r, float[] x, float[] dy, float[] dx, float[] dr, int from, int to, int d) {
            int h = d / 2;
            for (int i = from; i < to; i++) {
                int o = i * d;
                for (int k = 0; k < h; k++) {
                    float xr = x[o + k];
                    float xi = x[o + h + k];
                    float gr = dy[o + k];
                    float gi = dy[o + h + k];
                    dx[o + k] = gr * r[k] + gi * r[h + k];
                    dx[o + h + k] = -gr * r[h + k] + gi * r[k];
                    dr[k] += gr * xr + gi * xi;
                    dr[h + k] += -gr * xi + gi * xr;
                }
            }
        }
    }

    /**
     * RotatE's relation (Sun et al. 2019): a rotation of each complex coordinate (real parts in the first half of
     * a row, imaginary parts in the second, as {@link ComplexDiagonal}) by its own phase θ_k, so the relation
     * has unit modulus by construction; its d/2 parameters are the phases.
     */
    static final class Rotation implements Operator {
        @Override
        public OperatorName name() {
            return OperatorName.ROTATE;
        }

        @Override
        public int parameterCount(int d) {
            if (d % 2 != 0) {
                throw new IllegalArgumentException("rotate needs an even dimension, got " + d);
            }
            return d / 2;
        }

        @Override
        public void initialize(float[] params, int d) {
            Arrays.fill(params, 0, d / 2, 0f);
        }

        @Override
        public void forward(float[] theta, float[] x, float[] y, int from, int to, int d) {
            int h = d / 2;
            // Phase-major: one cosine and sine per phase for all rows (operators are shared and keep no scratch).
            for (int k = 0; k < h; k++) {
                float c = (float) Math.cos(theta[k]);
                float s = (float) Math.sin(theta[k]);
                for (int i = from; i < to; i++) {
                    int o = i * d;
                    float xr = x[o + k];
                    float xi = x[o + h + k];
                    y[o + k] = xr * c - xi * s;
                    y[o + h + k] = xr * s + xi * c;
                }
            }
        }

        @Override
        public void backward(
                float[] theta, float[] x, float[] dy, float[] dx, float[] dTheta, int from, int to, int d) {
            int h = d / 2;
            for (int k = 0; k < h; k++) {
                float c = (float) Math.cos(theta[k]);
                float s = (float) Math.sin(theta[k]);
                float g = 0;
                for (int i = from; i < to; i++) {
                    int o = i * d;
                    float xr = x[o + k];
                    float xi = x[o + h + k];
                    float gr = dy[o + k];
                    float gi = dy[o + h + k];
                    dx[o + k] = gr * c + gi * s;
                    dx[o + h + k] = -gr * s + gi * c;
                    // dy_re/dθ = -(xr s + xi c) = -y_im, dy_im/dθ = xr c - xi s = y_re
                    g += -gr * (xr * s + xi * c) + gi * (xr * c - xi * s);
                }
                dTheta[k] += g;
            }
        }
    }
}
