package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.jobs.ChildJvm;
import dev.tessera.jobs.ImportFixtures;
import dev.tessera.jobs.StoredGraph;
import dev.tessera.jobs.TestSpark;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL an import at random moments after it starts writing: the graph directory must either not exist
 * or be complete, never half-written; the next import cleans up what the killed one left and succeeds.
 */
class ImportKillIT {

    @Test
    void killedImportLeavesNoHalfWrittenGraph(@TempDir Path tmp) throws Exception {
        Path config =
                ImportFixtures.config(tmp, "entities:\n  entity: {num_partitions: 2}\ndiscover_relations: true\n");
        Path train = TestSpark.data("kg/WN18RR/train.txt");
        Path out = tmp.resolve("graph");
        Random random = new Random(7);
        int killedMidway = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            Process p = ChildJvm.java(
                            System.getProperty("java.class.path"),
                            List.of(
                                    "dev.tessera.cli.TesseraCli",
                                    "import",
                                    "--config",
                                    config.toString(),
                                    "--edges",
                                    train.toString(),
                                    "--out",
                                    out.toString(),
                                    "--overwrite",
                                    "--master",
                                    "local[2]"),
                            tmp.resolve("child-" + attempt + ".log"))
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (stagingDirs(tmp).isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(random.nextInt(4000));
            boolean wasAlive = p.isAlive();
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            if (wasAlive) {
                killedMidway++;
            }
            if (Files.exists(out)) {
                assertEquals(86_835, StoredGraph.triples(out, Split.TRAIN).size(), "a graph that exists is complete");
            }
        }
        assertTrue(killedMidway > 0, "at least one import must have been killed while running");
        Files.writeString(tmp.resolve("marker"), "");
        ImportFixtures.run(
                config,
                ImportFixtures.splits(train, null, null),
                out,
                2,
                dev.tessera.partitioner.PartitionStrategy.HASH,
                null,
                null,
                0,
                true);
        assertEquals(List.of(), stagingDirs(tmp), "abandoned staging directories are removed");
        try (GraphStore store = GraphStore.openReadOnly(out)) {
            assertEquals(86_835, store.meta().edgeCount(Split.TRAIN));
        }
        assertFalse(Files.exists(out.resolve(".writer.pid")));
    }

    private static List<Path> stagingDirs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".graph.staging-"))
                    .toList();
        }
    }
}
