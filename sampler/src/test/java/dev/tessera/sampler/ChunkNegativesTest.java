package dev.tessera.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkNegativesTest {
    @Test
    void candidatesAreTheChunkThenUniformThenWeighted() {
        AliasTable degrees = new AliasTable(new double[] {0, 0, 0, 5, 0});
        ChunkNegatives n = new ChunkNegatives(3, 4, 2);
        int[] entities = {9, 8, 7, 6, 5};
        int[] out = new int[n.candidates(3)];
        int k = n.fill(entities, 1, 3, 5, degrees, new SplittableRandom(1), out);
        assertEquals(9, k);
        assertArrayEquals(new int[] {8, 7, 6}, java.util.Arrays.copyOfRange(out, 0, 3), "batch negatives");
        for (int i = 3; i < 7; i++) {
            assertTrue(out[i] >= 0 && out[i] < 5, "uniform within the partition: " + out[i]);
        }
        assertEquals(3, out[7], "degree-weighted draws follow the degrees");
        assertEquals(3, out[8]);
        assertTrue(ChunkNegatives.isSelf(2, 2));
    }

    @Test
    void deterministicUnderASeedAndSpreadOverThePartition() {
        ChunkNegatives n = new ChunkNegatives(2, 1000, 0);
        int[] a = new int[n.candidates(2)];
        int[] b = new int[n.candidates(2)];
        n.fill(new int[] {1, 2}, 0, 2, 50, null, new SplittableRandom(3), a);
        n.fill(new int[] {1, 2}, 0, 2, 50, null, new SplittableRandom(3), b);
        assertArrayEquals(a, b);
        boolean[] seen = new boolean[50];
        for (int i = 2; i < a.length; i++) {
            seen[a[i]] = true;
        }
        for (boolean s : seen) {
            assertTrue(s, "1000 uniform draws over 50 entities reach every one");
        }
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkNegatives(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ChunkNegatives(5, -1, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChunkNegatives(5, 1, 3)
                        .fill(new int[] {1}, 0, 1, 10, null, new SplittableRandom(1), new int[10]));
    }
}
