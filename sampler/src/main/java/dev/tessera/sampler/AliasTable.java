package dev.tessera.sampler;

import java.util.SplittableRandom;

/**
 * Draws an index with probability proportional to its weight in O(1) (Vose's alias method): the
 * degree-weighted negative sampler draws entities with probability ∝ degree^exponent, as word2vec does
 * with 0.75. Zero weights are never drawn; if every weight is zero, draws are uniform.
 */
public final class AliasTable {
    private final double[] probability;
    private final int[] alias;

    public AliasTable(double[] weights) {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("an alias table needs at least one weight");
        }
        probability = new double[n];
        alias = new int[n];
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and non-negative, got " + w);
            }
            sum += w;
        }
        double[] scaled = new double[n];
        for (int i = 0; i < n; i++) {
            scaled[i] = sum == 0 ? 1.0 : weights[i] * n / sum;
        }
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            if (scaled[i] < 1.0) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            probability[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            if (scaled[l] < 1.0) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        while (nl > 0) {
            probability[large[--nl]] = 1.0;
        }
        // Left over only through rounding: these columns are (numerically) full.
        while (ns > 0) {
            probability[small[--ns]] = 1.0;
        }
    }

    /** Weights {@code degree^exponent} from out- and in-degrees (an entity's total degree). */
    public static AliasTable ofDegrees(int[] out, int[] in, double exponent) {
        double[] w = new double[out.length];
        for (int i = 0; i < w.length; i++) {
            int degree = out[i] + in[i];
            w[i] = degree == 0 ? 0 : Math.pow(degree, exponent);
        }
        return new AliasTable(w);
    }

    public int size() {
        return probability.length;
    }

    public int sample(SplittableRandom random) {
        int column = random.nextInt(probability.length);
        return random.nextDouble() < probability[column] ? column : alias[column];
    }
}
