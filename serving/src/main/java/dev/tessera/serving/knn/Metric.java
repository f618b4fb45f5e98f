package dev.tessera.serving.knn;

import dev.tessera.core.config.ComparatorName;

/**
 * How nearest-neighbour search compares two vectors, fixed by the comparator a model was trained with: a
 * neighbour query under another metric would rank by something the model never optimised. Scores are
 * "higher is closer": cosine similarity, inner product, or the negated Euclidean distance.
 */
public enum Metric {
    COSINE("cosine"),
    DOT("dot"),
    L2("l2");

    private final String label;

    Metric(String label) {
        this.label = label;
    }

    /** The metric of a trained comparator: both l2 comparators rank neighbours by the same distance. */
    public static Metric of(ComparatorName comparator) {
        return switch (comparator) {
            case COS -> COSINE;
            case DOT -> DOT;
            case L2, SQUARED_L2 -> L2;
        };
    }

    /** {@code cosine}, {@code dot} or {@code l2}, as reports and {@code --json} print it. */
    public String label() {
        return label;
    }

    /** The score of rows {@code a[aOff..aOff+d)} and {@code b[bOff..bOff+d)}, in double precision. */
    public double score(float[] a, int aOff, float[] b, int bOff, int d) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        double sq = 0;
        for (int k = 0; k < d; k++) {
            double x = a[aOff + k];
            double y = b[bOff + k];
            dot += x * y;
            na += x * x;
            nb += y * y;
            sq += (x - y) * (x - y);
        }
        return switch (this) {
            case COSINE -> dot / Math.max(Math.sqrt(na), MIN_NORM) / Math.max(Math.sqrt(nb), MIN_NORM);
            case DOT -> dot;
            case L2 -> -Math.sqrt(sq);
        };
    }

    /** Norms below this count as this: a zero vector has cosine 0 with everything instead of NaN. */
    static final double MIN_NORM = 1e-12;

    /**
     * Rows scaled to unit length (cosine search is inner-product search on these), into a new array.
     */
    static float[] normalized(float[] x, int n, int d) {
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += (double) x[i * d + k] * x[i * d + k];
            }
            float inv = (float) (1 / Math.max(Math.sqrt(s), MIN_NORM));
            for (int k = 0; k < d; k++) {
                out[i * d + k] = x[i * d + k] * inv;
            }
        }
        return out;
    }
}
