package dev.tessera.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FastMathTest {
    @Test
    void matchesMathExpToFloatPrecision() {
        double worst = 0;
        for (float x = -87f; x <= 88f; x += 0.0137f) {
            double exact = Math.exp(x);
            double rel = Math.abs(FastMath.exp(x) - exact) / exact;
            worst = Math.max(worst, rel);
        }
        assertTrue(worst < 1e-5, "worst relative error " + worst);
        assertEquals(0f, FastMath.exp(-1000f));
        assertEquals(Float.POSITIVE_INFINITY, FastMath.exp(1000f));
        assertEquals(1f, FastMath.exp(0f));
    }
}
