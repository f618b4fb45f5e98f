package dev.tessera.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreRowKernelTest {
    private final ScoreRowKernel scalar = new ScalarScoreRowKernel();
    private final ScoreRowKernel vector = new VectorScoreRowKernel();

    @Test
    void theTestJvmRunsTheVectorKernel() {
        // Surefire adds the Vector API module, so every loss test goes through the vector kernel.
        assertEquals(VectorScoreRowKernel.class, ScoreRowKernel.preferred().getClass());
    }

    @Test
    void vectorKernelComputesWhatTheScalarOneDoes() {
        Random random = new Random(7);
        int[] lengths = new int[75];
        for (int n = 0; n < 70; n++) {
            lengths[n] = n;
        }
        lengths[70] = 127;
        lengths[71] = 128;
        lengths[72] = 129;
        lengths[73] = 1000;
        lengths[74] = 40_943;
        for (int n : lengths) {
            int o = random.nextInt(5);
            float[] x = new float[o + n + 3];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) (random.nextGaussian() * 10);
            }
            // The maximum anywhere in the row, and the start when it is larger than every score.
            for (float start : new float[] {Float.NEGATIVE_INFINITY, -5f, 100f}) {
                assertEquals(scalar.max(x, o, n, start), vector.max(x, o, n, start), "max, n=" + n);
            }
            float shift = scalar.max(x, o, n, Float.NEGATIVE_INFINITY);
            float[] outScalar = new float[x.length];
            float[] outVector = new float[x.length];
            float sumScalar = scalar.expShiftedSum(x, shift, outScalar, o, n);
            float sumVector = vector.expShiftedSum(x, shift, outVector, o, n);
            for (int j = 0; j < x.length; j++) {
                assertEquals(outScalar[j], outVector[j], "e^x bit for bit, n=" + n + " j=" + j);
            }
            double exact = 0;
            for (int j = o; j < o + n; j++) {
                exact += outScalar[j];
            }
            assertEquals(exact, sumScalar, 1e-6 * Math.max(1, exact), "scalar sum, n=" + n);
            assertEquals(exact, sumVector, 1e-6 * Math.max(1, exact), "vector sum, n=" + n);

            vector.scale(outVector, o, n, 0.37f);
            scalar.scale(outScalar, o, n, 0.37f);
            for (int j = 0; j < x.length; j++) {
                assertEquals(outScalar[j], outVector[j], "scaled, n=" + n + " j=" + j);
            }
        }
    }

    @Test
    void exponentialsMayOverwriteTheirScores() {
        float[] x = new float[100];
        for (int j = 0; j < x.length; j++) {
            x[j] = -j * 0.25f;
        }
        float[] expected = new float[x.length];
        float sum = scalar.expShiftedSum(x, 0f, expected, 0, x.length);
        assertEquals(sum, vector.expShiftedSum(x, 0f, x, 0, x.length), 1e-5f * sum);
        for (int j = 0; j < x.length; j++) {
            assertEquals(expected[j], x[j]);
        }
    }
}
