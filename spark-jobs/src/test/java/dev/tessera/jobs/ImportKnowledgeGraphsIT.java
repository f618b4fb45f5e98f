package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Imports the small benchmark KGs and checks everything stored against counts computed here from the files. */
class ImportKnowledgeGraphsIT {
    private static final String CONFIG = "entities:\n  entity: {}\ndiscover_relations: true\n";

    @ParameterizedTest
    @CsvSource({"kinship,2", "nations,3", "umls,1"})
    void importedGraphHoldsExactlyTheInputTriples(String name, int partitions, @TempDir Path tmp) {
        Path dir = TestSpark.data("kg/" + name);
        Path train = dir.resolve("train.txt");
        Path valid = dir.resolve("valid.txt");
        Path test = dir.resolve("test.txt");
        Path out = tmp.resolve("graph");
        Map<String, Object> report = ImportFixtures.run(
                ImportFixtures.config(tmp, CONFIG), ImportFixtures.splits(train, valid, test), out, partitions);

        Set<String> entities = new HashSet<>();
        Set<String> relations = new HashSet<>();
        for (Path f : List.of(train, valid, test)) {
            for (String line : StoredGraph.fileTriples(f)) {
                String[] t = line.split("\t");
                entities.add(t[0]);
                entities.add(t[2]);
                relations.add(t[1]);
            }
        }
        assertEquals(Map.of("entity", (long) entities.size()), report.get("entities"));
        assertEquals(relations.size(), report.get("relations"));
        try (GraphStore store = GraphStore.openReadOnly(out)) {
            GraphMeta meta = store.meta();
            assertEquals(partitions, meta.numPartitions());
            assertEquals(entities.size(), meta.entityCount("entity"));
            Set<String> stored = new HashSet<>();
            meta.schema().relations().forEach(r -> stored.add(r.name()));
            assertEquals(relations, stored);
        }
        assertEquals(StoredGraph.fileTriples(train), StoredGraph.triples(out, Split.TRAIN));
        assertEquals(StoredGraph.fileTriples(valid), StoredGraph.triples(out, Split.VALID));
        assertEquals(StoredGraph.fileTriples(test), StoredGraph.triples(out, Split.TEST));
        double diagonal = ((Number) report.get("diagonal_fraction")).doubleValue();
        assertTrue(partitions == 1 ? diagonal == 1.0 : diagonal < 1.0, "diagonal fraction " + diagonal);
    }
}
