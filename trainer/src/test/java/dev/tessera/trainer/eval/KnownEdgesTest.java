package dev.tessera.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The known entities of every (relation, query) pair, as a map of sets built from the same random edges says. */
class KnownEdgesTest {
    @Test
    void findsExactlyTheKnownEntitiesOfEachPair() {
        Random random = new Random(4);
        int size = 5_000;
        int[] rel = new int[size];
        int[] query = new int[size];
        int[] other = new int[size];
        Map<Long, Set<Integer>> expected = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            // Relations 0 and 2 only (an unused relation in between), repeats included, large entity ids.
            rel[i] = 2 * random.nextInt(2);
            query[i] = random.nextInt(60) * 30_000_000;
            other[i] = random.nextInt(50) * 30_000_000 + random.nextInt(3);
            expected.computeIfAbsent((long) rel[i] * 1000 + query[i] / 30_000_000, k -> new TreeSet<>())
                    .add(other[i]);
        }
        KnownEdges known = new KnownEdges(rel, query, other, size);
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 60; q++) {
                int start = known.start(r, q * 30_000_000);
                int end = known.end(r, q * 30_000_000, start);
                Set<Integer> found = new TreeSet<>();
                for (int k = start; k < end; k++) {
                    found.add(known.entity(k));
                }
                Set<Integer> want = expected.getOrDefault((long) r * 1000 + q, Set.of());
                assertEquals(want, found, "relation " + r + ", query " + q);
                for (int candidate = 0; candidate < 50 * 30_000_000; candidate += 29_999_999) {
                    assertEquals(want.contains(candidate), known.contains(start, end, candidate));
                }
                for (int e : want) {
                    assertEquals(true, known.contains(start, end, e));
                }
            }
        }
    }
}
