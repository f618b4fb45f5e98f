package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.util.Json;
import dev.tessera.jobs.ChildJvm;
import dev.tessera.jobs.ImportFixtures;
import dev.tessera.jobs.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cora with the edges of 40 test nodes removed, so they are isolated as in several Planetoid datasets:
 * {@code import --nodes} brings them in (in a process of its own, short of memory to cache in, whose stderr must
 * hold progress only: no stack trace, no Spark log line), and {@code gcn --features} classifies them from their own features.
 */
class IsolatedNodesIT {
    private static final Path CORA = TestSpark.data("planetoid/cora");
    private static final int ISOLATED = 40;

    @Test
    void isolatedNodesAreImportedQuietlyAndClassified(@TempDir Path tmp) throws Exception {
        List<String> test = Files.readAllLines(CORA.resolve("test_nodes.txt"));
        Set<String> isolated = new HashSet<>(test.subList(0, ISOLATED));
        List<String> edges = new ArrayList<>();
        Set<String> withEdges = new HashSet<>();
        for (String line : Files.readAllLines(CORA.resolve("edges.tsv"))) {
            String[] f = line.split("\t");
            if (!isolated.contains(f[0]) && !isolated.contains(f[1])) {
                edges.add(line);
                withEdges.addAll(List.of(f));
            }
        }
        Path edgeFile = Files.write(tmp.resolve("edges.tsv"), edges);
        Path nodeFile = Files.write(
                tmp.resolve("nodes.tsv"),
                IntStream.range(0, 2708).mapToObj(Integer::toString).toList());
        Path config = ImportFixtures.config(
                tmp, "entities: {paper: {num_partitions: 1}}\nrelations: [{name: cites, lhs: paper, rhs: paper}]\n");

        // Without the node file the isolated nodes are not in the graph, and gcn names the first it meets.
        Path partial = tmp.resolve("partial");
        assertEquals(0, importInChild(tmp, config, edgeFile, null, partial).exit());
        TrainedFixture.Run refused = gcn(partial);
        assertNotEquals(0, refused.exitCode());

        Path graph = tmp.resolve("cora");
        Imported imported = importInChild(tmp, config, edgeFile, nodeFile, graph);
        assertEquals(0, imported.exit(), imported.stderr());
        Map<String, Object> report = Json.parseObject(imported.stdout().trim());
        assertEquals(Map.of("paper", 2708L), longs((Map<?, ?>) report.get("entities")));
        // The 40, and the neighbours whose only edges went to them.
        assertEquals(
                2708L - withEdges.size(),
                ((Number) ((Map<?, ?>) report.get("nodes")).get("entities_without_training_edges")).longValue());
        // A successful import's stderr: Tessera's progress lines only.
        for (String line : imported.stderr().split("[\r\n]+")) {
            assertFalse(
                    line.contains("Exception") || line.startsWith("\tat ") || line.matches(".*\\b(WARN|ERROR)\\b.*"),
                    "stderr of a successful import: " + line);
        }

        TrainedFixture.Run run = gcn(graph);
        assertEquals(0, run.exitCode(), run.stdout());
        // Measured: 0.818 test accuracy with seed 1 (the 40 isolated test nodes classified from their own
        // features; 0.817 on the whole graph).
        double accuracy = ((Number) Json.parseObject(run.stdout().trim()).get("test_accuracy")).doubleValue();
        System.out.printf("Cora with %d isolated test nodes: test accuracy %.3f%n", ISOLATED, accuracy);
        assertTrue(accuracy >= 0.75, "test accuracy " + accuracy);
    }

    private static Map<String, Long> longs(Map<?, ?> m) {
        Map<String, Long> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(k.toString(), ((Number) v).longValue()));
        return out;
    }

    private record Imported(int exit, String stdout, String stderr) {}

    private static Imported importInChild(Path tmp, Path config, Path edges, Path nodes, Path out) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "dev.tessera.cli.TesseraCli",
                "import",
                "--config",
                config.toString(),
                "--edges",
                edges.toString(),
                "--out",
                out.toString(),
                "--master",
                "local[2]",
                "--json"));
        if (nodes != null) {
            args.addAll(List.of("--nodes", nodes.toString()));
        }
        Path stdout = tmp.resolve(out.getFileName() + ".out");
        Path stderr = tmp.resolve(out.getFileName() + ".err");
        ProcessBuilder pb = ChildJvm.java(System.getProperty("java.class.path"), args, stdout)
                .redirectErrorStream(false)
                .redirectError(stderr.toFile());
        // Almost no storage memory, so Spark cannot cache the import's RDDs and says so: "WARN MemoryStore: Not
        // enough space to cache rdd_…" dozens of times when its log is at WARN (as before it was raised to ERROR).
        pb.command().add(1, "-Dspark.memory.fraction=0.0005");
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "import did not finish");
        return new Imported(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    private static TrainedFixture.Run gcn(Path graph) {
        return CoraGcn.run(graph, "--features", CORA.resolve("features.tsv").toString(), "--seed", "1");
    }
}
