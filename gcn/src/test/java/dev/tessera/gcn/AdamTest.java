package dev.tessera.gcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void firstStepMovesEachWeightByTheLearningRateAgainstItsGradient() {
        Parameter p = new Parameter("w", 3);
        p.values[0] = 1f;
        p.values[1] = -2f;
        p.gradient[0] = 0.3f;
        p.gradient[1] = -5f;
        p.gradient[2] = 0f;
        Adam adam = new Adam(0.01);
        adam.beginStep();
        adam.update(p, 0);
        // Bias-corrected first step: m̂/√v̂ = g/|g|.
        assertArrayEquals(new float[] {0.99f, -1.99f, 0f}, p.values, 1e-6f);
        assertArrayEquals(new float[3], p.gradient, "the gradient is consumed");
    }

    @Test
    void weightDecayIsAddedToTheGradientAndLaterStepsFollowTheMoments() {
        Parameter p = new Parameter("w", 1);
        p.values[0] = 2f;
        Adam adam = new Adam(0.1);
        double m = 0;
        double v = 0;
        double w = 2;
        for (int t = 1; t <= 3; t++) {
            p.gradient[0] = 0.5f * t;
            double g = 0.5 * t + 0.01 * w;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            w -= 0.1 * (m / (1 - Math.pow(0.9, t))) / (Math.sqrt(v / (1 - Math.pow(0.999, t))) + 1e-8);
            adam.beginStep();
            adam.update(p, 0.01);
            assertEquals(w, p.values[0], 1e-5, "step " + t);
        }
    }
}
