package dev.tessera.gcn;

import dev.tessera.model.backend.DenseBackend;
import java.util.SplittableRandom;

/**
 * A layer's input, one row per node: dense activations or sparse node features. The layer needs only the
 * two products below and dropout, so bag-of-words features stay sparse all the way into the first GEMM.
 */
public sealed interface NodeMatrix permits NodeMatrix.Dense, NodeMatrix.Sparse {
    int rows();

    int cols();

    /** {@code this[rows×cols] · w[cols×k]}. */
    float[] times(float[] w, int k, DenseBackend backend);

    /** {@code thisᵀ · g[rows×k]}, shape cols×k: the weight gradient of {@link #times}. */
    float[] transposeTimes(float[] g, int k, DenseBackend backend);

    /**
     * Inverted dropout: each stored entry zeroed with probability {@code rate}, the rest scaled by {@code
     * 1/(1-rate)}. {@code mask}, when not null, receives each entry's factor (0 or the scale) so backward can
     * apply it to the gradient.
     */
    NodeMatrix dropout(double rate, SplittableRandom random, float[] mask);

    /** Row-major dense rows. */
    record Dense(int rows, int cols, float[] values) implements NodeMatrix {
        public Dense {
            if (values.length != rows * cols) {
                throw new IllegalArgumentException(
                        rows + "×" + cols + " matrix needs " + rows * cols + " values, got " + values.length);
            }
        }

        @Override
        public float[] times(float[] w, int k, DenseBackend backend) {
            float[] out = new float[rows * k];
            backend.ab(values, w, out, rows, cols, k, false);
            return out;
        }

        @Override
        public float[] transposeTimes(float[] g, int k, DenseBackend backend) {
            float[] out = new float[cols * k];
            backend.aTb(values, g, out, rows, cols, k, false);
            return out;
        }

        @Override
        public NodeMatrix dropout(double rate, SplittableRandom random, float[] mask) {
            return new Dense(rows, cols, dropped(values, rate, random, mask));
        }
    }

    /** Sparse rows (node features); products are SpMMs. */
    record Sparse(CsrMatrix matrix) implements NodeMatrix {
        @Override
        public int rows() {
            return matrix.rows();
        }

        @Override
        public int cols() {
            return matrix.cols();
        }

        @Override
        public float[] times(float[] w, int k, DenseBackend backend) {
            float[] out = new float[matrix.rows() * k];
            matrix.multiply(w, k, out);
            return out;
        }

        @Override
        public float[] transposeTimes(float[] g, int k, DenseBackend backend) {
            float[] out = new float[matrix.cols() * k];
            matrix.transposeMultiply(g, k, out);
            return out;
        }

        /** Drops stored entries only (zeros stay zero), as Kipf &amp; Welling's sparse dropout does. */
        @Override
        public NodeMatrix dropout(double rate, SplittableRandom random, float[] mask) {
            return new Sparse(matrix.withValues(dropped(matrix.values(), rate, random, mask)));
        }
    }

    /**
     * Keeps each value with probability {@code 1 - rate}, scaled by {@code 1 / (1 - rate)}. Each value takes 16 bits
     * of a random long (four values per draw; the rate is rounded to a multiple of 2^-16): one {@code nextDouble}
     * per value made dropout a fifth of a WordNet epoch's Java profile samples.
     */
    static float[] dropped(float[] values, double rate, SplittableRandom random, float[] mask) {
        float scale = (float) (1.0 / (1.0 - rate));
        int threshold = (int) Math.round(rate * 65536);
        float[] v = new float[values.length];
        long bits = 0;
        for (int i = 0; i < v.length; i++) {
            if ((i & 3) == 0) {
                bits = random.nextLong();
            }
            float factor = (int) (bits & 0xffff) < threshold ? 0f : scale;
            bits >>>= 16;
            v[i] = values[i] * factor;
            if (mask != null) {
                mask[i] = factor;
            }
        }
        return v;
    }
}
