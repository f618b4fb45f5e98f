package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three assignment strategies on Cora (a citation graph with strong communities): each stores the same
 * edges; locality keeps far more edges in diagonal buckets than hashing; degree balancing evens out the
 * edge endpoints per partition.
 */
class PartitionStrategiesIT {
    private static final int P = 4;
    private static final Map<PartitionStrategy, Path> GRAPHS = new EnumMap<>(PartitionStrategy.class);
    private static final Map<PartitionStrategy, Map<String, Object>> REPORTS = new EnumMap<>(PartitionStrategy.class);

    @TempDir
    static Path tmp;

    @BeforeAll
    static void importWithEachStrategy() {
        Path config = ImportFixtures.config(
                tmp, "entities:\n  paper: {}\nrelations:\n  - {name: cites, lhs: paper, rhs: paper}\n");
        Path cora = TestSpark.data("planetoid/cora/edges.tsv");
        for (PartitionStrategy s : PartitionStrategy.values()) {
            Path out = tmp.resolve(s.label());
            REPORTS.put(
                    s,
                    ImportFixtures.run(
                            config, ImportFixtures.splits(cora, null, null), out, P, s, null, null, 0, false));
            GRAPHS.put(s, out);
            System.out.println("strategy=" + s.label() + " diagonal_fraction="
                    + REPORTS.get(s).get("diagonal_fraction") + " bucket_imbalance="
                    + REPORTS.get(s).get("bucket_imbalance"));
        }
    }

    @Test
    void everyStrategyStoresTheSameEdges() {
        List<String> hash = StoredGraph.triples(GRAPHS.get(PartitionStrategy.HASH), Split.TRAIN);
        assertEquals(5278 * 1, hash.size());
        for (PartitionStrategy s : PartitionStrategy.values()) {
            assertEquals(hash, StoredGraph.triples(GRAPHS.get(s), Split.TRAIN), s.label());
        }
    }

    @Test
    void localityKeepsMostEdgesInsidePartitions() {
        double hash = diagonal(PartitionStrategy.HASH);
        double locality = diagonal(PartitionStrategy.LOCALITY);
        assertTrue(hash > 0.15 && hash < 0.35, "hash spreads edges over all buckets: " + hash);
        assertTrue(locality > 2 * hash, "locality " + locality + " vs hash " + hash);
    }

    @Test
    void partitionsHoldBalancedEntityCounts() {
        for (PartitionStrategy s : PartitionStrategy.values()) {
            try (GraphStore store = GraphStore.openReadOnly(GRAPHS.get(s))) {
                long[] counts = store.meta().entityCounts("paper");
                long max = 0;
                long min = Long.MAX_VALUE;
                for (long c : counts) {
                    max = Math.max(max, c);
                    min = Math.min(min, c);
                }
                long slack = s == PartitionStrategy.LOCALITY ? 1 : 2708 / P / 5;
                assertTrue(max - min <= slack, s.label() + " partition sizes " + java.util.Arrays.toString(counts));
            }
        }
    }

    @Test
    void degreeBalancingEvensOutEndpointsPerPartition() {
        assertTrue(
                endpointSpread(PartitionStrategy.DEGREE_BALANCED) < endpointSpread(PartitionStrategy.HASH),
                "degree_balanced " + endpointSpread(PartitionStrategy.DEGREE_BALANCED) + " vs hash "
                        + endpointSpread(PartitionStrategy.HASH));
        assertTrue(
                endpointSpread(PartitionStrategy.DEGREE_BALANCED) < 1.01,
                "spread " + endpointSpread(PartitionStrategy.DEGREE_BALANCED));
    }

    private static double diagonal(PartitionStrategy s) {
        return ((Number) REPORTS.get(s).get("diagonal_fraction")).doubleValue();
    }

    /** Largest over smallest number of edge endpoints (row + column sums of the bucket grid) per partition. */
    private static double endpointSpread(PartitionStrategy s) {
        try (GraphStore store = GraphStore.openReadOnly(GRAPHS.get(s))) {
            GraphMeta meta = store.meta();
            long[] ends = new long[P];
            for (int i = 0; i < P; i++) {
                for (int j = 0; j < P; j++) {
                    ends[i] += meta.edgeCount(Split.TRAIN, i, j);
                    ends[j] += meta.edgeCount(Split.TRAIN, i, j);
                }
            }
            long max = java.util.Arrays.stream(ends).max().orElseThrow();
            long min = java.util.Arrays.stream(ends).min().orElseThrow();
            return (double) max / min;
        }
    }
}
