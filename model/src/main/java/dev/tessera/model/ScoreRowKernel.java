package dev.tessera.model;

/**
 * The passes a loss that normalises a row of scores (softmax, self-adversarial weights) makes over every
 * score: its maximum, the exponentials shifted by it with their sum, and a rescaling. Under 1-vs-all a row
 * holds every entity (41k scores on WN18RR), and these passes took a quarter of the trainer threads' time
 * with scalar reductions, which the JIT does not vectorise. Two implementations compute the same values up
 * to the order of the sum's additions: {@link ScalarScoreRowKernel} ({@link FastMath}'s loops) and {@code
 * VectorScoreRowKernel} on the incubating Vector API, chosen once per JVM by {@link VectorKernels}.
 */
public interface ScoreRowKernel {
    /** {@code -Dtessera.scoreRows=scalar} keeps the scalar kernel even where the Vector API is present. */
    String PROPERTY = "tessera.scoreRows";

    /** {@code max(start, x[o, o+n))}. */
    float max(float[] x, int o, int n, float start);

    /**
     * {@code out[o + j] = e^(x[o + j] - shift)} ({@link FastMath#expNonPositive}) for {@code j < n}, where every
     * {@code x[o + j] ≤ shift}; returns their sum. {@code out} may be {@code x}.
     */
    float expShiftedSum(float[] x, float shift, float[] out, int o, int n);

    /** {@code x[o + j] *= c} for {@code j < n}. */
    void scale(float[] x, int o, int n, float c);

    /** The fastest kernel this JVM can run, chosen once. */
    static ScoreRowKernel preferred() {
        return Preferred.KERNEL;
    }

    /** Lazy holder: the choice (and its log line) happens at the first loss, not at class loading. */
    final class Preferred {
        static final ScoreRowKernel KERNEL = VectorKernels.preferred(
                ScoreRowKernel.class,
                "dev.tessera.model.VectorScoreRowKernel",
                PROPERTY,
                ScalarScoreRowKernel::new,
                "Score rows",
                "faster softmax over every entity under 1_vs_all and k_vs_all");

        private Preferred() {}
    }
}
