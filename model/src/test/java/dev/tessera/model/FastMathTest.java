package dev.tessera.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FastMathTest {
    @Test
    void expMatchesMathExpOverTheWholeNonPositiveRange() {
        double worst = 0;
        for (float x = FastMath.MIN_ARGUMENT; x <= 0f; x += 0.00137f) {
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastMath.expNonPositive(x) - exact) / exact);
        }
        assertTrue(worst < 3e-5, "worst relative error " + worst);
        assertEquals(1f, FastMath.expNonPositive(0f), 3e-5f);
        assertEquals((float) Math.exp(FastMath.MIN_ARGUMENT), FastMath.expNonPositive(-1e30f), 1e-40f);
    }

    @Test
    void logisticTermsMatchTheirDefinitionsOnBothSidesOfZero() {
        int n = 9251;
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = -80f + k * 0.0173f; // through zero to +80
        }
        float shift = 0.5f;
        float[] softplus = new float[n];
        float[] sigmoid = new float[n];
        FastMath.logistic(x, shift, softplus, sigmoid, n);
        double worstSigmoid = 0;
        double worstSoftplus = 0;
        for (int k = 0; k < n; k++) {
            double y = x[k] + shift;
            double exactSigmoid = 1 / (1 + Math.exp(-y));
            double exactSoftplus = y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(sigmoid[k] - exactSigmoid) / exactSigmoid);
            worstSoftplus = Math.max(worstSoftplus, Math.abs(softplus[k] - exactSoftplus) / exactSoftplus);
        }
        assertTrue(worstSigmoid < 6e-5, "sigmoid's worst relative error " + worstSigmoid);
        assertTrue(worstSoftplus < 4e-5, "softplus's worst relative error " + worstSoftplus);
        // Far out neither overflows nor turns into NaN (excluded candidates score -1e9), and zero is one half.
        float[] far = {1e9f, -1e9f, -0.5f};
        FastMath.logistic(far, 0.5f, softplus, sigmoid, 3);
        assertEquals(1f, sigmoid[0]);
        assertEquals(1e9f, softplus[0]);
        assertEquals(0f, sigmoid[1], 1e-37f);
        assertEquals(0f, softplus[1], 1e-37f);
        assertEquals(0.5f, sigmoid[2], 3e-5f);
        assertEquals(Math.log(2), softplus[2], 3e-5);
    }

    @Test
    void log1pOfTheUnitIntervalMatchesMathLog1p() {
        for (float t = 0f; t <= 1f; t += 0.000731f) {
            assertEquals(Math.log1p(t), FastMath.log1pUnit(t), 2e-7 * Math.max(Math.log1p(t), 1e-30), "t " + t);
        }
        assertEquals(Math.log(2), FastMath.log1pUnit(1f), 2e-7);
    }

    @Test
    void maxFindsTheLargestAtEveryPositionAndLength() {
        Random r = new Random(9);
        for (int n = 0; n <= 20; n++) {
            for (int at = 0; at < n; at++) {
                float[] x = new float[n + 5];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) -r.nextDouble() * 10;
                }
                x[2 + at] = 3f;
                assertEquals(3f, FastMath.max(x, 2, n, -100f), "n " + n + " at " + at);
                assertEquals(7f, FastMath.max(x, 2, n, 7f), "the start when it is larger");
            }
            assertEquals(-100f, FastMath.max(new float[n], 0, 0, -100f));
        }
    }

    @Test
    void arrayHelpersAgreeWithScalarOnes() {
        Random r = new Random(5);
        float[] x = new float[203];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 4;
        }
        int o = 3;
        int n = 197;
        float max = FastMath.max(x, o, n, Float.NEGATIVE_INFINITY);
        float[] out = new float[x.length];
        FastMath.expShifted(x, max, out, o, n);
        double sum = 0;
        float expectMax = Float.NEGATIVE_INFINITY;
        for (int j = o; j < o + n; j++) {
            expectMax = Math.max(expectMax, x[j]);
        }
        assertEquals(expectMax, max);
        for (int j = o; j < o + n; j++) {
            assertEquals(Math.exp(x[j] - max), out[j], 3e-5 * Math.exp(x[j] - max));
            sum += out[j];
        }
        assertEquals(0f, out[0]);
        assertEquals(sum, FastMath.sum(out, o, n), 1e-5 * sum);
    }

    @Test
    void flushBelowZeroesWhatIsAtOrBelowTheFloorAndKeepsEverythingElseExactly() {
        float floor = 1e-12f;
        float[] x = {0f, 1e-30f, 1e-13f, floor, Math.nextUp(floor), 2e-12f, 0.5f, 1f, 7f, 3e38f};
        float[] expected = {0f, 0f, 0f, 0f, Math.nextUp(floor), 2e-12f, 0.5f, 1f, 7f, 3e38f};
        FastMath.flushBelow(x, floor, x.length);
        for (int k = 0; k < x.length; k++) {
            assertEquals(expected[k], x[k], 0f, "element " + k);
        }
    }
}
