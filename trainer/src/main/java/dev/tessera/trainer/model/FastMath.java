package dev.tessera.trainer.model;

/**
 * A float exponential for the loss's hot loop, several times faster than {@link Math#exp} and within 4e-6
 * relative error of it (the float argument reduction sets that limit at the ends of the range):
 * {@code e^x = 2^k · 2^f} with k the nearest integer to {@code x·log2 e}, {@code 2^f} (|f| ≤ 1/2) from a
 * degree-6 polynomial, and {@code 2^k} put straight into the exponent bits.
 */
public final class FastMath {
    private static final float LOG2E = 1.44269504089f;

    private FastMath() {
    }

    public static float exp(float x) {
        if (x < -87.3f) {
            return 0f;
        }
        if (x > 88.37f) {
            return Float.POSITIVE_INFINITY;
        }
        float t = x * LOG2E;
        int k = (int) (t >= 0 ? t + 0.5f : t - 0.5f);
        float f = t - k;
        // 2^f = e^(f ln 2), Taylor/minimax-style coefficients of e^(y) with y = f·ln2, |y| ≤ 0.347.
        float y = f * 0.69314718056f;
        float p = 1f + y * (1f + y * (0.5f + y * (0.16666667f + y * (0.041666668f + y * (0.008333334f
                + y * 0.0013888889f)))));
        return p * Float.intBitsToFloat((k + 127) << 23);
    }
}
