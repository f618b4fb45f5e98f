package dev.tessera.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NeighbourSamplerTest {

    /** Node 0 is a hub linked to every other node; the rest form a ring. */
    private static Neighbourhood hubAndRing(int n) {
        int[][] lists = new int[n][];
        lists[0] = new int[n - 1];
        for (int v = 1; v < n; v++) {
            lists[0][v - 1] = v;
            int prev = v == 1 ? n - 1 : v - 1;
            int next = v == n - 1 ? 1 : v + 1;
            lists[v] = new int[] {0, prev, next};
        }
        long[] start = new long[n + 1];
        for (int v = 0; v < n; v++) {
            start[v + 1] = start[v] + lists[v].length;
        }
        int[] flat = new int[(int) start[n]];
        for (int v = 0; v < n; v++) {
            System.arraycopy(lists[v], 0, flat, (int) start[v], lists[v].length);
        }
        return Neighbourhood.of(start, flat);
    }

    private static int[] neighboursOf(Neighbourhood g, int v) {
        int[] out = new int[g.degree(v)];
        g.neighbours(v, 0, out.length, out);
        return out;
    }

    @Test
    void blocksRespectFanoutsAndPointAtRealNeighbours() {
        Neighbourhood g = hubAndRing(200);
        int[] fanouts = {5, 2};
        SampledBlocks b = new NeighbourSampler(g, fanouts).sample(new int[] {0, 17, 42}, 9);
        assertEquals(2, b.layers());
        assertArrayEquals(new int[] {0, 17, 42}, b.seeds());
        for (int l = 0; l < b.layers(); l++) {
            int[] dst = b.layerNodes()[l + 1];
            int[] src = b.layerNodes()[l];
            for (int i = 0; i < dst.length; i++) {
                assertEquals(dst[i], src[i], "destinations come first among the sources, in order");
                int from = b.blockRowStart()[l][i];
                int to = b.blockRowStart()[l][i + 1];
                assertEquals(Math.min(fanouts[l], g.degree(dst[i])), to - from, "fan-out of node " + dst[i]);
                Set<Integer> real = new HashSet<>();
                for (int u : neighboursOf(g, dst[i])) {
                    real.add(u);
                }
                Set<Integer> drawn = new HashSet<>();
                for (int k = from; k < to; k++) {
                    int u = src[b.blockSources()[l][k]];
                    assertTrue(real.contains(u), u + " is not a neighbour of " + dst[i]);
                    assertTrue(drawn.add(u), "drawn twice: " + u);
                }
            }
            assertEquals(
                    src.length,
                    new HashSet<>(java.util.Arrays.stream(src).boxed().toList()).size(),
                    "each node once per layer");
        }
    }

    @Test
    void sameSeedSameBlocksOtherSeedOtherBlocks() {
        Neighbourhood g = hubAndRing(500);
        NeighbourSampler s = new NeighbourSampler(g, new int[] {25, 10});
        SampledBlocks a = s.sample(new int[] {0, 1, 2}, 3);
        SampledBlocks b = s.sample(new int[] {0, 1, 2}, 3);
        SampledBlocks c = s.sample(new int[] {0, 1, 2}, 4);
        for (int l = 0; l <= 2; l++) {
            assertArrayEquals(a.layerNodes()[l], b.layerNodes()[l]);
        }
        assertArrayEquals(a.blockSources()[0], b.blockSources()[0]);
        assertTrue(
                !java.util.Arrays.equals(a.layerNodes()[1], c.layerNodes()[1]), "a different seed draws differently");
    }

    @Test
    void drawsFromAHubAreUniform() {
        int n = 101; // the hub has 100 neighbours; 10 are drawn each time
        Neighbourhood g = hubAndRing(n);
        NeighbourSampler s = new NeighbourSampler(g, new int[] {10});
        int[] count = new int[n];
        int trials = 20_000;
        SplittableRandom seeds = new SplittableRandom(1);
        for (int t = 0; t < trials; t++) {
            SampledBlocks b = s.sample(new int[] {0}, seeds.nextLong());
            for (int k : b.blockSources()[0]) {
                count[b.layerNodes()[0][k]]++;
            }
        }
        double expected = trials * 10.0 / 100;
        for (int v = 1; v < n; v++) {
            assertEquals(expected, count[v], 5 * Math.sqrt(expected), "node " + v);
        }
    }
}
