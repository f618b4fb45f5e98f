package dev.tessera.gcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeMatrixTest {

    @Test
    void dropoutKeepsOneMinusTheRateScaledUpAndReportsItsMask() {
        int n = 400_000;
        float[] values = new float[n];
        Arrays.fill(values, 2f);
        for (double rate : new double[] {0.1, 0.5, 0.8}) {
            float[] mask = new float[n];
            float[] out = NodeMatrix.dropped(values, rate, new SplittableRandom(3), mask);
            float scale = (float) (1 / (1 - rate));
            int kept = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(mask[i] == 0f || mask[i] == scale, "a value is dropped or scaled, got " + mask[i]);
                assertEquals(values[i] * mask[i], out[i]);
                kept += mask[i] == 0f ? 0 : 1;
            }
            // Binomial: the standard deviation of the kept fraction is below 0.001 here; 5 of them.
            assertEquals(1 - rate, kept / (double) n, 0.005, "rate " + rate);
            // Neighbouring values are independent draws, not one draw shared by a group of four.
            int bothKept = 0;
            for (int i = 0; i + 1 < n; i += 2) {
                bothKept += mask[i] != 0f && mask[i + 1] != 0f ? 1 : 0;
            }
            assertEquals((1 - rate) * (1 - rate), bothKept / (n / 2.0), 0.006, "rate " + rate);
            assertArrayEquals(out, NodeMatrix.dropped(values, rate, new SplittableRandom(3), null), "same seed");
        }
        float[] none = NodeMatrix.dropped(values, 0, new SplittableRandom(3), null);
        assertArrayEquals(values, none, "rate 0 keeps everything as it is");
    }
}
