package dev.tessera.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AliasTableTest {
    @Test
    void drawsInProportionToWeights() {
        double[] w = {1, 0, 3, 6, 0.5};
        AliasTable t = new AliasTable(w);
        int draws = 1_000_000;
        int[] counts = new int[w.length];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < draws; i++) {
            counts[t.sample(r)]++;
        }
        double sum = 10.5;
        for (int i = 0; i < w.length; i++) {
            double expected = draws * w[i] / sum;
            assertEquals(expected, counts[i], 5 * Math.sqrt(expected) + 1, "index " + i);
        }
        assertEquals(0, counts[1], "a zero weight is never drawn");
    }

    @Test
    void degreeWeightsFollowTheExponentAndAllZeroIsUniform() {
        AliasTable t = AliasTable.ofDegrees(new int[] {0, 4, 15}, new int[] {0, 12, 1}, 0.75);
        int[] counts = new int[3];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            counts[t.sample(r)]++;
        }
        assertEquals(0, counts[0]);
        assertEquals(1.0, counts[1] / (double) counts[2], 0.03, "16^0.75 vs 16^0.75");
        AliasTable uniform = new AliasTable(new double[] {0, 0, 0, 0});
        int[] u = new int[4];
        for (int i = 0; i < 40_000; i++) {
            u[uniform.sample(r)]++;
        }
        for (int c : u) {
            assertEquals(10_000, c, 500);
        }
    }

    @Test
    void sameSeedSameDraws() {
        AliasTable t = new AliasTable(new double[] {1, 2, 3});
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            assertEquals(t.sample(a), t.sample(b));
        }
    }

    @Test
    void badWeightsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {Double.POSITIVE_INFINITY}));
    }
}
