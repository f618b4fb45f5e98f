package dev.tessera.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphMetaTest {
    private static GraphMeta meta() {
        TesseraConfig schema = ConfigLoader.parse(
                "entities: {a: {num_partitions: 2}, b: {num_partitions: 1}}\n"
                        + "relations: [{name: link, lhs: a, rhs: a}]\n",
                "test");
        Map<Split, long[][]> edges = new EnumMap<>(Split.class);
        edges.put(Split.TRAIN, new long[][] {{6, 0}, {2, 10}});
        return new GraphMeta(schema, 2, Map.of("a", new long[] {3, 7}, "b", new long[] {4}), edges, Map.of());
    }

    @Test
    void largestPartitionAndBucket() {
        GraphMeta meta = meta();
        assertEquals(7, meta.largestPartition("a"));
        assertEquals(4, meta.largestPartition("b"));
        assertThrows(IllegalArgumentException.class, () -> meta.largestPartition("c"));
        assertEquals(10, meta.largestBucket(Split.TRAIN));
        assertEquals(0, meta.largestBucket(Split.VALID));
    }

    @Test
    void bucketImbalanceIsTheLargestNonEmptyBucketOverTheirMean() {
        GraphMeta meta = meta();
        assertEquals(10 / (18.0 / 3), meta.bucketImbalance(Split.TRAIN), 1e-12);
        assertEquals(0, meta.bucketImbalance(Split.VALID));
    }
}
