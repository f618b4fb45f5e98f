package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.util.Json;
import dev.tessera.jobs.ChildJvm;
import dev.tessera.jobs.ImportFixtures;
import dev.tessera.jobs.TestSpark;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/tessera train --trainers 2 --json}: two processes on loopback, then eval and export on the result. */
class DistributedTrainIT {
    @Test
    void twoTrainerProcessesTrainACheckpointThatEvalAndExportRead(@TempDir Path tmp) throws Exception {
        Path config = nations(tmp, 3);
        Path graph = tmp.resolve("graph");
        Path checkpoint = tmp.resolve("ck");
        List<String> train = new ArrayList<>(trainTwo(config, graph, checkpoint));
        train.add("--json");
        TrainedFixture.Run run = TrainedFixture.cli(train.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.stdout());
        Map<String, Object> out = Json.parseObject(run.stdout().trim());
        assertEquals(2, ((Number) out.get("trainers")).intValue());
        assertEquals(3, ((Number) out.get("epochs")).intValue());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) out.get("buckets_per_epoch");
        assertEquals(3, epochs.size());
        epochs.forEach(e -> assertEquals(Boolean.TRUE, e.get("each_bucket_once"), e.toString()));
        assertTrue(((Number) out.get("edges_per_s")).doubleValue() > 0);
        String report = Files.readString(checkpoint.resolve("report.html"));
        assertTrue(report.contains("trainer1_edges_per_s") && report.contains("mb_sent"), "per-trainer report");

        TrainedFixture.Run eval = TrainedFixture.cli(
                "eval", "--graph", graph.toString(), "--checkpoint", checkpoint.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.stdout());
        assertTrue(((Number) Json.parseObject(eval.stdout().trim()).get("mrr")).doubleValue() > 0.2, eval.stdout());
        TrainedFixture.Run export = TrainedFixture.cli(
                "export",
                "--graph",
                graph.toString(),
                "--checkpoint",
                checkpoint.toString(),
                "--format",
                "npy",
                "--out",
                tmp.resolve("npy").toString());
        assertEquals(0, export.exitCode(), export.stdout());
        assertTrue(Files.exists(tmp.resolve("npy").resolve("e.npy")));
    }

    @Test
    void whenRankZeroIsKilledTheOthersStopNamingItAndARerunResumesFromTheLastCheckpoint(@TempDir Path tmp)
            throws Exception {
        Path config = nations(tmp, 400);
        Path graph = tmp.resolve("graph");
        Path checkpoint = tmp.resolve("ck");
        List<String> train = trainTwo(config, graph, checkpoint);

        // Rank 0 is the command's own process: start it as a user would, and kill it once an epoch is committed.
        Path log = tmp.resolve("train.log");
        List<String> mainAndArgs = new ArrayList<>(List.of(TesseraCli.class.getName()));
        mainAndArgs.addAll(train);
        Process rankZero = ChildJvm.java(System.getProperty("java.class.path"), mainAndArgs, log)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (Files.notExists(checkpoint.resolve("report.html"))) {
            assertTrue(
                    rankZero.isAlive() && System.nanoTime() < deadline, "no epoch committed: " + Files.readString(log));
            Thread.sleep(50);
        }
        List<ProcessHandle> others = rankZero.descendants().toList();
        assertEquals(1, others.size(), "one other trainer process");
        rankZero.toHandle().destroyForcibly();
        rankZero.waitFor();
        for (ProcessHandle other : others) {
            other.onExit().get(30, TimeUnit.SECONDS); // not a lease or request timeout: the parent's exit
        }
        assertTrue(
                Files.readString(log).contains("rank 0's process (pid " + rankZero.pid() + ") exited"),
                Files.readString(log));
        int committed;
        try (GraphStore g = GraphStore.openReadOnly(graph);
                CheckpointStore ck =
                        CheckpointStore.openExisting(checkpoint, g.meta().fingerprint())) {
            committed = ck.latest().orElseThrow().epochs();
        }
        assertTrue(committed >= 1 && committed < 400, "committed " + committed);

        // The same command again, to fewer epochs in all: it resumes from the last checkpoint, no cleanup needed.
        int total = committed + 3;
        List<String> again = new ArrayList<>(train);
        again.addAll(List.of("--epochs", Integer.toString(total), "--json"));
        TrainedFixture.Run rerun = TrainedFixture.cli(again.toArray(String[]::new));
        assertEquals(0, rerun.exitCode(), rerun.stdout());
        Map<String, Object> out = Json.parseObject(rerun.stdout().trim());
        assertEquals(total, ((Number) out.get("epochs")).intValue());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) out.get("buckets_per_epoch");
        assertEquals(3, epochs.size(), "only the epochs after the last checkpoint were trained: " + epochs);
        assertEquals(committed + 1, ((Number) epochs.get(0).get("epoch")).intValue());
    }

    /** {@code bin/tessera train --trainers 2}'s arguments. */
    private static List<String> trainTwo(Path config, Path graph, Path checkpoint) {
        return List.of(
                "train",
                "--config",
                config.toString(),
                "--graph",
                graph.toString(),
                "--checkpoint",
                checkpoint.toString(),
                "--trainers",
                "2");
    }

    /** Nations in 4 partitions imported into {@code tmp/graph}; returns the config, for {@code epochs}. */
    private static Path nations(Path tmp, int epochs) {
        Path config = ImportFixtures.config(
                tmp,
                "entities:\n  e: {num_partitions: 4}\ndiscover_relations: true\n"
                        + "relation_template: {operator: complex_diagonal}\ndimension: 16\ncomparator: dot\n"
                        + "loss_fn: softmax\nnum_batch_negs: 20\nnum_uniform_negs: 20\nlr: 0.1\nnum_epochs: "
                        + epochs + "\nworkers: 1\nseed: 3\n");
        Path data = TestSpark.data("kg/nations");
        ImportFixtures.run(
                config,
                ImportFixtures.splits(data.resolve("train.txt"), data.resolve("valid.txt"), data.resolve("test.txt")),
                tmp.resolve("graph"),
                4);
        return config;
    }
}
