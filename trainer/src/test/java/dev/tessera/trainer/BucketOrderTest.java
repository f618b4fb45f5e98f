package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.BucketOrderName;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketOrderTest {
    @ParameterizedTest
    @ValueSource(strings = {"random", "inside_out", "outside_in", "affinity", "buffer_aware"})
    void everyOrderVisitsEveryBucketOnce(String name) {
        List<int[]> order = BucketOrder.of(BucketOrderName.of(name), 5, 3, 42);
        Set<Integer> seen = new HashSet<>();
        for (int[] b : order) {
            assertTrue(seen.add(b[0] * 5 + b[1]), name + " repeats a bucket");
        }
        assertEquals(25, seen.size());
        assertEquals(
                order.stream().map(b -> b[0] + "," + b[1]).toList(),
                BucketOrder.of(BucketOrderName.of(name), 5, 3, 42).stream()
                        .map(b -> b[0] + "," + b[1])
                        .toList(),
                "deterministic");
    }

    @org.junit.jupiter.api.Test
    void insideOutStartsAtTheCornerAndBufferAwareSwapsLeast() {
        List<int[]> insideOut = BucketOrder.of(BucketOrderName.INSIDE_OUT, 3, 2, 1);
        assertEquals(
                "0,0 1,1 1,0 0,1 2,2 2,0 0,2 2,1 1,2",
                String.join(" ", insideOut.stream().map(b -> b[0] + "," + b[1]).toList()));
        for (int p : new int[] {4, 8, 16}) {
            int aware = BucketOrder.loads(BucketOrder.of(BucketOrderName.BUFFER_AWARE, p, 3, 7), 3);
            int random = BucketOrder.loads(BucketOrder.of(BucketOrderName.RANDOM, p, 3, 7), 3);
            assertTrue(aware < random, "P=" + p + ": buffer_aware " + aware + " loads vs random " + random);
            assertTrue(aware >= p, "every partition is loaded at least once");
        }
        // With room for every partition, each is loaded exactly once.
        assertEquals(6, BucketOrder.loads(BucketOrder.of(BucketOrderName.RANDOM, 6, 6, 3), 6));
    }

    @org.junit.jupiter.api.Test
    void loadsPerEpochReportsEveryOrder() {
        java.util.Map<String, Integer> roomy = BucketOrder.loadsPerEpoch(6, 6, 3);
        assertEquals(BucketOrderName.configNames(), List.copyOf(roomy.keySet()));
        roomy.forEach((name, loads) -> assertEquals(6, loads, name + " with every partition resident"));
        java.util.Map<String, Integer> tight = BucketOrder.loadsPerEpoch(8, 2, 3);
        assertTrue(tight.get("buffer_aware") < tight.get("random"), tight.toString());
        tight.forEach((name, loads) -> assertTrue(loads >= 8, name + " loads each partition at least once"));
    }
}
