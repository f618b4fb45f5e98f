package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The import's alternative paths store exactly the same graph: edges resolved against a broadcast index
 * or by joins (dictionaries over the broadcast limit), and bucket files written straight from the input or
 * after grouping by bucket (grids with more buckets than a task keeps files open).
 */
class ImportPathsIT {
    private static final String CONFIG = "entities:\n  entity: {}\ndiscover_relations: true\n";

    @ParameterizedTest(name = "partitions={0} broadcastLimit={1} strategy={2}")
    @CsvSource({"2,0,hash", "9,5000000,hash", "9,0,degree_balanced", "3,0,locality"})
    void everyPathStoresTheInputTriples(int partitions, long broadcastLimit, String strategy, @TempDir Path tmp) {
        Path dir = TestSpark.data("kg/umls");
        Path train = dir.resolve("train.txt");
        Path valid = dir.resolve("valid.txt");
        Path test = dir.resolve("test.txt");
        Path out = tmp.resolve("g");
        Map<String, Object> report = ImportFixtures.run(ImportOptions.builder(ImportFixtures.config(tmp, CONFIG), out)
                .inputs(ImportFixtures.splits(train, valid, test))
                .partitions(partitions)
                .strategy(PartitionStrategy.parse(strategy))
                .broadcastEntityLimit(broadcastLimit)
                .build());
        assertEquals(Map.of("entity", 135L), report.get("entities"));
        for (Split s : List.of(Split.TRAIN, Split.VALID, Split.TEST)) {
            Path file = s == Split.TRAIN ? train : s == Split.VALID ? valid : test;
            assertEquals(StoredGraph.fileTriples(file), StoredGraph.triples(out, s), s.label());
        }
        assertEquals(partitions, report.get("partitions"));
    }
}
