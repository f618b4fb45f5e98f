package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartitionStrategyTest {
    @Test
    void hashPartitionMatchesKnownValues() {
        // Pinned: a graph's partitions must not move between Tessera versions (EntityKey.k1, high bits mod P).
        String[] names = {"", "a", "alice", "Q42", "entity_12345", "\u00e9", "\u65e5\u672c", "\ud83d\ude00"};
        int[] mod8 = {1, 6, 4, 6, 7, 7, 3, 3};
        int[] mod7 = {1, 5, 5, 0, 6, 3, 0, 6};
        int[] mod1000 = {953, 958, 804, 822, 471, 359, 931, 275};
        for (int i = 0; i < names.length; i++) {
            assertEquals(mod8[i], PartitionStrategy.hashPartition(names[i], 8), names[i]);
            assertEquals(mod7[i], PartitionStrategy.hashPartition(names[i], 7), names[i]);
            assertEquals(mod1000[i], PartitionStrategy.hashPartition(names[i], 1000), names[i]);
            assertEquals(0, PartitionStrategy.hashPartition(names[i], 1));
        }
    }

    @Test
    void hashPartitionIsDeterministicInRangeAndBalanced() {
        int p = 8;
        int n = 100_000;
        int[] counts = new int[p];
        for (int i = 0; i < n; i++) {
            String name = "node" + i;
            int part = PartitionStrategy.hashPartition(name, p);
            assertTrue(part >= 0 && part < p, name + " -> " + part);
            assertEquals(part, PartitionStrategy.hashPartition(new String(name.toCharArray()), p));
            counts[part]++;
        }
        double mean = (double) n / p;
        for (int c = 0; c < p; c++) {
            assertTrue(
                    Math.abs(counts[c] - mean) <= 0.05 * mean,
                    "partition " + c + " has " + counts[c] + " names, mean " + mean);
        }
    }

    @Test
    void snakeDealsBackAndForth() {
        int[] expected = {0, 1, 2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0};
        for (int r = 0; r < expected.length; r++) {
            assertEquals(expected[r], PartitionStrategy.snakePartition(r, 3), "rank " + r);
        }
        assertEquals(0, PartitionStrategy.snakePartition(5_000_000_000L, 1));
        // Large ranks: 6e9 / 3 = 2e9 rounds (even) -> position 0.
        assertEquals(0, PartitionStrategy.snakePartition(6_000_000_000L, 3));
        assertEquals(2, PartitionStrategy.snakePartition(6_000_000_003L, 3));
        // Every partition gets the same number of ranks per 2P.
        int[] counts = new int[4];
        for (int r = 0; r < 800; r++) {
            counts[PartitionStrategy.snakePartition(r, 4)]++;
        }
        for (int c : counts) {
            assertEquals(200, c);
        }
    }

    @Test
    void rangePartitionSizesDifferByAtMostOne() {
        for (int p : new int[] {1, 2, 3, 7, 8}) {
            for (long n : new long[] {1, 2, 3, 10, 11, 99, 1000, 1001}) {
                int[] sizes = new int[p];
                int prev = 0;
                for (long r = 0; r < n; r++) {
                    int part = PartitionStrategy.rangePartition(r, n, p);
                    assertTrue(part >= prev && part < p, "contiguous and in range: rank " + r + " of " + n);
                    prev = part;
                    sizes[part]++;
                }
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int s : sizes) {
                    min = Math.min(min, s);
                    max = Math.max(max, s);
                }
                assertTrue(max - min <= 1, "P=" + p + " n=" + n + ": sizes " + java.util.Arrays.toString(sizes));
            }
        }
        assertEquals(0, PartitionStrategy.rangePartition(0, 10, 3));
        assertEquals(0, PartitionStrategy.rangePartition(3, 10, 3));
        assertEquals(1, PartitionStrategy.rangePartition(4, 10, 3));
        assertEquals(2, PartitionStrategy.rangePartition(9, 10, 3));
        // Large counts do not overflow.
        assertEquals(3, PartitionStrategy.rangePartition(3_000_000_000L, 4_000_000_000L, 4));
    }

    @Test
    void parseAndLabel() {
        assertEquals(PartitionStrategy.DEGREE_BALANCED, PartitionStrategy.parse("Degree_Balanced"));
        assertEquals("locality", PartitionStrategy.LOCALITY.label());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PartitionStrategy.parse("random"));
        assertEquals("unknown partition strategy 'random'; expected hash, degree_balanced or locality", e.getMessage());
    }
}
