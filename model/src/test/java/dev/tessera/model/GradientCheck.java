package dev.tessera.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Central finite differences against an analytic gradient, with a tolerance fit for float arithmetic. */
public final class GradientCheck {
    private GradientCheck() {}

    public static float[] random(Random r, int size, float scale) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }

    /**
     * Perturbs each element of {@code x} by ±eps, evaluates {@code f} (which reads x), and asserts the slope
     * matches {@code analytic} within 2% of the gradient's scale (plus a small absolute slack).
     */
    public static void check(String what, float[] x, float[] analytic, ToDoubleFunction<float[]> f) {
        check(what, x, analytic, f, 1e-2f);
    }

    /** As above with step {@code eps}: smaller for piecewise-linear functions (ReLU), whose kinks a wide step may cross. */
    public static void check(String what, float[] x, float[] analytic, ToDoubleFunction<float[]> f, float eps) {
        double scale = 0;
        for (float g : analytic) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = saved + eps;
            double up = f.applyAsDouble(x);
            x[i] = saved - eps;
            double down = f.applyAsDouble(x);
            x[i] = saved;
            double numeric = (up - down) / (2 * eps);
            double err = Math.abs(numeric - analytic[i]);
            assertTrue(
                    err <= 0.02 * Math.max(scale, 1e-3) + 2e-3,
                    what + "[" + i + "]: analytic " + analytic[i] + " vs numeric " + numeric);
        }
    }
}
