package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DegreeBalancedDealerTest {
    private static final int N = 10_000;
    private static final int P = 4;

    private static long[] powerLaw() {
        long[] d = new long[N];
        for (int r = 0; r < N; r++) {
            d[r] = 10_000 / (r + 1);
        }
        return d;
    }

    private static void assertBalanced(DegreeBalancedDealer dealer, long[] degrees) {
        long[] sum = new long[P];
        int[] count = new int[P];
        for (int r = 0; r < N; r++) {
            int p = dealer.partition(0, r);
            assertTrue(p >= 0 && p < P, "partition " + p);
            sum[p] += degrees[r];
            count[p]++;
        }
        long maxS = Arrays.stream(sum).max().getAsLong();
        long minS = Arrays.stream(sum).min().getAsLong();
        assertEquals(Arrays.stream(degrees).sum(), Arrays.stream(sum).sum());
        assertTrue(minS > 0 && (double) maxS / minS < 1.01, "degree sums " + Arrays.toString(sum));
        int maxC = Arrays.stream(count).max().getAsInt();
        int minC = Arrays.stream(count).min().getAsInt();
        assertTrue(maxC - minC < 0.05 * N / P, "entity counts " + Arrays.toString(count));
    }

    @Test
    void powerLawWholeHeadIsBalanced() {
        long[] d = powerLaw();
        assertBalanced(new DegreeBalancedDealer(new int[] {P}, new long[][] {d}), d);
    }

    @Test
    void powerLawShortHeadAndSnakeTailIsBalanced() {
        long[] d = powerLaw();
        assertBalanced(new DegreeBalancedDealer(new int[] {P}, new long[][] {Arrays.copyOf(d, 1000)}), d);
        assertBalanced(new DegreeBalancedDealer(new int[] {P}, new long[][] {Arrays.copyOf(d, 100)}), d);
    }

    @Test
    void tailFollowsTheSnakeOffsetByTheHead() {
        long[] d = powerLaw();
        int headLen = 37;
        DegreeBalancedDealer dealer = new DegreeBalancedDealer(new int[] {P}, new long[][] {Arrays.copyOf(d, headLen)});
        int[] expectedSnake = {0, 1, 2, 3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0};
        for (int i = 0; i < expectedSnake.length; i++) {
            assertEquals(expectedSnake[i], dealer.partition(0, headLen + i), "tail rank " + i);
        }
        for (long r = headLen; r < 5000; r++) {
            assertEquals(PartitionStrategy.snakePartition(r - headLen, P), dealer.partition(0, r));
        }
        // Ranks beyond int range still work.
        assertEquals(
                PartitionStrategy.snakePartition(10_000_000_000L - headLen, P), dealer.partition(0, 10_000_000_000L));
    }

    @Test
    void headIsLongestProcessingTimeFirst() {
        // loads after 10, 9, 8: (10, 9, 8) -> 1 to p2 (9); (10, 9, 9) -> tie, lowest p1; (10, 10, 9) -> p2;
        // degree 0 counts as 1: (10, 10, 10) -> p0.
        long[] head = {10, 9, 8, 1, 1, 1, 0};
        DegreeBalancedDealer dealer = new DegreeBalancedDealer(new int[] {3}, new long[][] {head});
        int[] got = new int[head.length];
        for (int r = 0; r < head.length; r++) {
            got[r] = dealer.partition(0, r);
        }
        assertArrayEquals(new int[] {0, 1, 2, 2, 1, 2, 0}, got);
        // After the head: snake from 0.
        assertEquals(0, dealer.partition(0, 7));
        assertEquals(2, dealer.partition(0, 9));
        assertEquals(2, dealer.partition(0, 10));
        assertEquals(0, dealer.partition(0, 12));
    }

    @Test
    void singlePartitionTypePutsEverythingInZero() {
        long[] d = powerLaw();
        DegreeBalancedDealer dealer = new DegreeBalancedDealer(
                new int[] {P, 1, 1}, new long[][] {Arrays.copyOf(d, 10), Arrays.copyOf(d, 50), new long[0]});
        for (long r = 0; r < 3000; r++) {
            assertEquals(0, dealer.partition(1, r), "type 1 rank " + r);
            assertEquals(0, dealer.partition(2, r), "type 2 rank " + r);
        }
        // and the P=4 type is unaffected by the others
        assertEquals(
                Arrays.asList(0, 1, 2, 3),
                Arrays.asList(
                        dealer.partition(0, 0),
                        dealer.partition(0, 1),
                        dealer.partition(0, 2),
                        dealer.partition(0, 3)));
    }
}
