package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A bucket's training order: batches of one chunk group, full but for one per group, and a fixed sample. */
class BucketEdgesTest {
    /** Relations 1 and 2 share a chunk group (as dynamic relations of one entity type would). */
    private static final int[] GROUP_OF = {0, 1, 1, 2};

    private static final int BATCH = 100;
    private static final int HELD_OUT = 37;

    @Test
    void batchesHoldOneGroupAndEveryTrainedEdgeOnce() {
        BucketEdges e = bucket();
        long[] before = edgeKeys(e, 0, e.size);
        e.shuffle(new SplittableRandom(1), new SplittableRandom(2), BATCH, HELD_OUT, GROUP_OF);
        int trained = e.size - HELD_OUT;

        boolean[] seen = new boolean[trained];
        int[] partial = new int[3];
        for (int k = 0; k < e.batches; k++) {
            int from = e.batchFrom[k];
            int to = e.batchTo[k];
            assertTrue(to - from >= 1 && to - from <= BATCH, "batch " + k + " of " + (to - from));
            if (to - from < BATCH) {
                partial[GROUP_OF[e.rel[from]]]++;
            }
            for (int i = from; i < to; i++) {
                assertEquals(GROUP_OF[e.rel[from]], GROUP_OF[e.rel[i]], "batch " + k + " mixes groups");
                assertFalse(seen[i], "edge " + i + " in two batches");
                seen[i] = true;
            }
        }
        for (boolean s : seen) {
            assertTrue(s, "every trained edge is in a batch");
        }
        for (int p : partial) {
            assertTrue(p <= 1, "at most one partial batch per group: " + Arrays.toString(partial));
        }
        for (int i = trained + 1; i < e.size; i++) {
            assertTrue(GROUP_OF[e.rel[i - 1]] <= GROUP_OF[e.rel[i]], "the held-out sample is grouped");
        }
        long[] after = edgeKeys(e, 0, e.size);
        Arrays.sort(before);
        Arrays.sort(after);
        assertArrayEquals(before, after, "no edge lost or duplicated");
    }

    @Test
    void theSampleStaysWhileTheTrainingOrderChangesEveryEpoch() {
        BucketEdges first = bucket();
        first.shuffle(new SplittableRandom(1), new SplittableRandom(2), BATCH, HELD_OUT, GROUP_OF);
        BucketEdges second = bucket();
        second.shuffle(new SplittableRandom(1), new SplittableRandom(3), BATCH, HELD_OUT, GROUP_OF);
        int trained = first.size - HELD_OUT;

        long[] sample1 = edgeKeys(first, trained, first.size);
        long[] sample2 = edgeKeys(second, trained, second.size);
        Arrays.sort(sample1);
        Arrays.sort(sample2);
        assertArrayEquals(sample1, sample2, "the same edges are held out every epoch");
        assertFalse(
                Arrays.equals(edgeKeys(first, 0, trained), edgeKeys(second, 0, trained)),
                "another epoch trains in another order");
        assertFalse(
                Arrays.equals(
                        Arrays.copyOf(first.batchFrom, first.batches), Arrays.copyOf(second.batchFrom, second.batches)),
                "and its batches come in another order");
    }

    @Test
    void kVsAllBatchesHoldWholeQueriesOfOneSide() {
        BucketEdges e = bucket();
        // Few heads and tails, so that queries repeat: heads i % 37, tails i % 11, weighted edges.
        e.weight = new float[e.rel.length];
        for (int i = 0; i < e.size; i++) {
            e.lhs[i] = i % 37;
            e.rhs[i] = 1000 + i % 11;
            e.weight[i] = i;
        }
        e.shuffle(new SplittableRandom(1), new SplittableRandom(2), BATCH, HELD_OUT, GROUP_OF);
        long[] sample = edgeKeys(e, e.trained, e.size);
        long[] trained = edgeKeys(e, 0, e.trained);
        Arrays.sort(trained);
        for (boolean byRhs : new boolean[] {true, false}) {
            e.groupQueries(byRhs, new SplittableRandom(3), BATCH, GROUP_OF);
            int[] rows = byRhs ? e.rhs : e.lhs;
            boolean[] seen = new boolean[e.trained];
            for (int k = 0; k < e.batches; k++) {
                int from = e.batchFrom[k];
                int to = e.batchTo[k];
                boolean oneQuery = rows[from] == rows[to - 1] && e.rel[from] == e.rel[to - 1];
                assertTrue(to - from <= BATCH || oneQuery, "batch " + k + " of " + (to - from));
                for (int i = from; i < to; i++) {
                    assertEquals(GROUP_OF[e.rel[from]], GROUP_OF[e.rel[i]], "batch " + k + " mixes groups");
                    assertFalse(seen[i], "edge " + i + " in two batches");
                    seen[i] = true;
                }
                if (to < e.trained) {
                    assertFalse(
                            rows[to] == rows[to - 1] && e.rel[to] == e.rel[to - 1],
                            "a query is cut between batches at edge " + to);
                }
            }
            // Edges sharing a query lie next to each other: each query is one run.
            Set<Long> finished = new HashSet<>();
            for (int i = 0; i < e.trained; i++) {
                long query = (long) e.rel[i] << 32 | rows[i];
                if (i > 0 && query != ((long) e.rel[i - 1] << 32 | rows[i - 1])) {
                    assertTrue(finished.add((long) e.rel[i - 1] << 32 | rows[i - 1]));
                }
                assertFalse(finished.contains(query), "query " + query + " split at edge " + i);
                assertEquals(e.lhs[i], ((int) e.weight[i]) % 37, "weights move with their edges");
            }
            long[] regrouped = edgeKeys(e, 0, e.trained);
            Arrays.sort(regrouped);
            assertArrayEquals(trained, regrouped, "no edge lost or duplicated");
            assertArrayEquals(sample, edgeKeys(e, e.trained, e.size), "the held-out sample stays in place");
        }
    }

    /** 1,000 edges: relation r = i % 4 for most, relation 0 for every fifth (groups of unequal size). */
    private static BucketEdges bucket() {
        BucketEdges e = new BucketEdges();
        int n = 1000;
        int at = e.append(n, false);
        for (int i = 0; i < n; i++) {
            e.rel[at + i] = i % 5 == 0 ? 0 : i % 4;
            e.lhs[at + i] = i;
            e.rhs[at + i] = n + i;
        }
        return e;
    }

    private static long[] edgeKeys(BucketEdges e, int from, int to) {
        long[] keys = new long[to - from];
        for (int i = from; i < to; i++) {
            keys[i - from] = (long) e.rel[i] << 40 | (long) e.lhs[i] << 20 | e.rhs[i];
        }
        return keys;
    }
}
