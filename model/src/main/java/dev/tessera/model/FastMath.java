package dev.tessera.model;

/**
 * Exponentials for the softmax loss's hot loop, which only needs {@code e^x} for {@code x ≤ 0} (scores minus
 * their row maximum). Written with float multiply-adds and a clamp only, so the JIT turns the array loop
 * into SIMD code (about ten times faster than a loop over {@link Math#exp}, which it cannot vectorise):
 * {@code e^x = (e^(x/128))^128}, where {@code e^(x/128)}, with {@code x/128 ∈ [-0.69, 0]}, is a degree-7
 * Taylor polynomial around {@code -ln2/2} and seven squarings raise it to the 128th power. The squarings
 * multiply the polynomial's relative error by 128; the result is within 3e-5 (relative) of {@code Math.exp}.
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
