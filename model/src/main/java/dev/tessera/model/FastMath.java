package dev.tessera.model;

/**
 * Exponentials for the softmax loss's hot loop, which only needs {@code e^x} for {@code x ≤ 0} (scores minus
 * their row maximum). Written with float multiply-adds and a clamp only, so the JIT turns the array loop
 * into SIMD code (about ten times faster than a loop over {@link Math#exp}, which it cannot vectorise):
 * {@code e^x = (e^(x/128))^128}, where {@code e^(x/128)}, with {@code x/128 ∈ [-0.69, 0]}, is a degree-7
 * Taylor polynomial around {@code -ln2/2} and seven squarings raise it to the 128th power. The squarings
 * multiply the polynomial's relative error by 128; the result is within 3e-5 (relative) of {@code Math.exp}.
 * The logistic losses' {@link #logistic} terms are built on it, branch-free for the same reason.
 */
public final class FastMath {
    /** Below this {@code e^x} would leave float's normal range; it is clamped here instead. */
    static final float MIN_ARGUMENT = -87.3f;

    private static final float CENTRE = 0.34657359f; // ln2 / 2
    private static final float E_MINUS_CENTRE = 0.70710678f; // e^(-ln2/2)

    private FastMath() {}

    /** {@code e^x} for {@code x ≤ 0}; arguments below {@link #MIN_ARGUMENT} give {@code e^MIN_ARGUMENT}. */
    public static float expNonPositive(float x) {
        float y = Math.max(x, MIN_ARGUMENT) * (1f / 128) + CENTRE;
        // e^y's Taylor polynomial to y^7 in Horner form (the same operations in the same order as one nested
        // expression; written as steps so that it stays readable under the formatter).
        float h = 1f / 5040;
        h = 1f / 720 + y * h;
        h = 1f / 120 + y * h;
        h = 1f / 24 + y * h;
        h = 1f / 6 + y * h;
        h = 0.5f + y * h;
        h = 1f + y * h;
        h = 1f + y * h;
        float p = E_MINUS_CENTRE * h;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        return p * p;
    }

    /**
     * {@code softplus[k] = ln(1 + e^y)} and {@code sigmoid[k] = 1 / (1 + e^-y)} for {@code y = x[k] + shift}, {@code
     * k < n}: both from {@code t = e^-|y|}, as {@code max(y, 0) + ln(1 + t)} and {@code 1 / (1 + t)} or {@code
     * t / (1 + t)} by the sign of {@code y}, so no exponential can overflow. Within 4e-5 (softplus) and 6e-5
     * (sigmoid) of the exact values, relative; far below zero both stay at about {@code e^-87.3}.
     *
     * <p>Three element-wise passes that the JIT vectorises: each has at most one exponential and no branch, and
     * every array is read at the same index (JDK 17 keeps a loop scalar, 10-25 times slower here, when its body
     * has two exponentials or when its arrays are offset from each other by a variable).
     */
    public static void logistic(float[] x, float shift, float[] softplus, float[] sigmoid, int n) {
        for (int k = 0; k < n; k++) {
            sigmoid[k] = expNonPositive(-Math.abs(x[k] + shift));
        }
        for (int k = 0; k < n; k++) {
            softplus[k] = Math.max(x[k] + shift, 0f) + log1pUnit(sigmoid[k]);
        }
        for (int k = 0; k < n; k++) {
            float t = sigmoid[k];
            // 1 where y > 0 (and 0 where y ≤ 0) without a branch; a fraction only for |y| < 1e-30, where t is 1.
            float positive = Math.min(Math.max((x[k] + shift) * 1e30f, 0f), 1f);
            sigmoid[k] = (t + (1f - t) * positive) / (1f + t);
        }
    }

    /**
     * Sets the elements of {@code x[0, n)} (none negative) that are at most {@code floor} to 0, branch-free so the
     * loop is vectorised. Gradients pass through it on their way to the comparators: products of two tiny factors
     * would be subnormal floats, on which this CPU takes a microcode assist per operation (the l2 comparator's
     * backward pass over 50 × 1,050 pairs ran about 20 times slower with a third of its upstream gradients
     * subnormal).
     */
    public static void flushBelow(float[] x, float floor, int n) {
        for (int k = 0; k < n; k++) {
            // (x - floor) is 0 or at least an ulp of floor, so the factor is exactly 0 or 1.
            x[k] *= Math.min(Math.max((x[k] - floor) * 1e38f, 0f), 1f);
        }
    }

    /**
     * {@code ln(1 + t)} for {@code t ∈ [0, 1]}: {@code 2 atanh(z)} with {@code z = t / (2 + t) ≤ 1/3}, whose odd
     * series {@code 2 (z + z³/3 + … + z¹⁵/15)} is within 2e-9 (relative) there: multiply-adds and one division.
     */
    static float log1pUnit(float t) {
        float z = t / (2f + t);
        float z2 = z * z;
        float h = 1f / 15;
        h = 1f / 13 + z2 * h;
        h = 1f / 11 + z2 * h;
        h = 1f / 9 + z2 * h;
        h = 1f / 7 + z2 * h;
        h = 1f / 5 + z2 * h;
        h = 1f / 3 + z2 * h;
        h = 1f + z2 * h;
        return 2f * z * h;
    }

    /** {@code out[o + j] = e^(x[o + j] - shift)} for {@code j < n}, where every {@code x[o + j] ≤ shift}. */
    public static void expShifted(float[] x, float shift, float[] out, int o, int n) {
        for (int j = o; j < o + n; j++) {
            out[j] = expNonPositive(x[j] - shift);
        }
    }

    /** {@code Σ x[o, o+n)}, with eight running sums so the adds overlap instead of waiting on each other. */
    public static float sum(float[] x, int o, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int j = o;
        for (; j + 7 < o + n; j += 8) {
            s0 += x[j];
            s1 += x[j + 1];
            s2 += x[j + 2];
            s3 += x[j + 3];
            s4 += x[j + 4];
            s5 += x[j + 5];
            s6 += x[j + 6];
            s7 += x[j + 7];
        }
        for (; j < o + n; j++) {
            s0 += x[j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** {@code max(start, x[o, o+n))}. */
    public static float max(float[] x, int o, int n, float start) {
        // Eight running maxima, compared rather than Math.max'ed: the JIT does not vectorise this reduction, and
        // one chain of Math.max waits on each step (1.5x slower on a 41k-entity softmax row).
        float m0 = start;
        float m1 = start;
        float m2 = start;
        float m3 = start;
        float m4 = start;
        float m5 = start;
        float m6 = start;
        float m7 = start;
        int j = o;
        for (; j + 7 < o + n; j += 8) {
            m0 = x[j] > m0 ? x[j] : m0;
            m1 = x[j + 1] > m1 ? x[j + 1] : m1;
            m2 = x[j + 2] > m2 ? x[j + 2] : m2;
            m3 = x[j + 3] > m3 ? x[j + 3] : m3;
            m4 = x[j + 4] > m4 ? x[j + 4] : m4;
            m5 = x[j + 5] > m5 ? x[j + 5] : m5;
            m6 = x[j + 6] > m6 ? x[j + 6] : m6;
            m7 = x[j + 7] > m7 ? x[j + 7] : m7;
        }
        for (; j < o + n; j++) {
            m0 = x[j] > m0 ? x[j] : m0;
        }
        return Math.max(Math.max(Math.max(m0, m1), Math.max(m2, m3)), Math.max(Math.max(m4, m5), Math.max(m6, m7)));
    }
}
