package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Debian package graph: five entity types, fourteen relations, the README's example config. */
class ImportMultiTypeIT {

    @Test
    void debianGraphImportsWithEveryEntityUnderItsRelationsType(@TempDir Path tmp) {
        Path config = Path.of("..", "examples", "configs", "debian.yaml");
        Path dir = TestSpark.data("debian_packages");
        List<Path> files = List.of(dir.resolve("train.tsv"), dir.resolve("valid.tsv"), dir.resolve("test.tsv"));
        Path out = tmp.resolve("debian");
        Map<String, Object> report = ImportFixtures.run(
                config,
                ImportFixtures.splits(files.get(0), files.get(1), files.get(2)),
                out,
                null,
                dev.tessera.partitioner.PartitionStrategy.DEGREE_BALANCED,
                null,
                null,
                0,
                false);

        // Independent computation: each entity's type from the config's relation declarations.
        TesseraConfig schema = ConfigLoader.load(config);
        Map<String, RelationConfig> byName = new HashMap<>();
        schema.relations().forEach(r -> byName.put(r.name(), r));
        Map<String, String> typeOf = new HashMap<>();
        long[] edges = new long[3];
        for (int s = 0; s < 3; s++) {
            for (String line : StoredGraph.fileTriples(files.get(s))) {
                String[] t = line.split("\t");
                typeOf.putIfAbsent(t[0], byName.get(t[1]).lhs());
                typeOf.putIfAbsent(t[2], byName.get(t[1]).rhs());
                edges[s]++;
            }
        }
        Map<String, Long> perType = new TreeMap<>();
        typeOf.values().forEach(t -> perType.merge(t, 1L, Long::sum));
        assertEquals(perType, new TreeMap<>(castCounts(report.get("entities"))));
        assertEquals(Map.of("train", edges[0], "valid", edges[1], "test", edges[2]), report.get("edges"));
        assertEquals(0L, ((Map<?, ?>) report.get("bad_rows")).get("total"));

        try (GraphStore store = GraphStore.openReadOnly(out)) {
            GraphMeta meta = store.meta();
            // Only 'package' is partitioned; the small types live in partition 0.
            assertEquals(4, meta.entityCounts("package").length);
            assertEquals(1, meta.entityCounts("tag").length);
            EntityRef tag = store.entity("tag:role::program").orElseThrow();
            assertEquals(schema.entityTypeId("tag"), tag.type());
            assertEquals(0, tag.part());
            assertEquals("tag:role::program", store.entityName(tag.type(), tag.part(), tag.offset()));
            int[][] degrees = store.degrees(tag.type(), 0, (int) meta.entityCounts("tag")[0]);
            long tagEdges = StoredGraph.fileTriples(files.get(0)).stream()
                    .filter(l -> l.endsWith("\ttag:role::program"))
                    .count();
            assertEquals(tagEdges, degrees[1][tag.offset()]);
            assertEquals(0, degrees[0][tag.offset()]);
        }
        assertEquals(StoredGraph.fileTriples(files.get(1)), StoredGraph.triples(out, Split.VALID));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> castCounts(Object o) {
        return (Map<String, Long>) o;
    }
}
