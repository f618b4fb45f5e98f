package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.util.Json;
import dev.tessera.jobs.ImportFixtures;
import dev.tessera.jobs.TestSpark;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/tessera train --trainers 2 --json}: two processes on loopback, then eval and export on the result. */
class DistributedTrainIT {
    @Test
    void twoTrainerProcessesTrainACheckpointThatEvalAndExportRead(@TempDir Path tmp) throws Exception {
        Path config = ImportFixtures.config(
                tmp,
                "entities:\n  e: {num_partitions: 4}\ndiscover_relations: true\n"
                        + "relation_template: {operator: complex_diagonal}\ndimension: 16\ncomparator: dot\n"
                        + "loss_fn: softmax\nnum_batch_negs: 20\nnum_uniform_negs: 20\nlr: 0.1\nnum_epochs: 3\n"
                        + "workers: 1\nseed: 3\n");
        Path data = TestSpark.data("kg/nations");
        Path graph = tmp.resolve("graph");
        ImportFixtures.run(
                config,
                ImportFixtures.splits(data.resolve("train.txt"), data.resolve("valid.txt"), data.resolve("test.txt")),
                graph,
                4);
        Path checkpoint = tmp.resolve("ck");
        TrainedFixture.Run run = TrainedFixture.cli(
                "train",
                "--config",
                config.toString(),
                "--graph",
                graph.toString(),
                "--checkpoint",
                checkpoint.toString(),
                "--trainers",
                "2",
                "--json");
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
        Path config = ImportFixtures.config(
                tmp,
                "entities:\n  e: {num_partitions: 4}\ndiscover_relations: true\n"
                        + "relation_template: {operator: complex_diagonal}\ndimension: 16\ncomparator: dot\n"
                        + "loss_fn: softmax\nnum_batch_negs: 20\nnum_uniform_negs: 20\nlr: 0.1\nnum_epochs: 400\n"
                        + "workers: 1\nseed: 3\n");
        Path data = TestSpark.data("kg/nations");
        Path graph = tmp.resolve("graph");
        ImportFixtures.run(
                config,
                ImportFixtures.splits(data.resolve("train.txt"), data.resolve("valid.txt"), data.resolve("test.txt")),
                graph,
                4);
        Path checkpoint = tmp.resolve("ck");
        List<String> train = List.of(
                "train",
                "--config",
                config.toString(),
                "--graph",
                graph.toString(),
                "--checkpoint",
                checkpoint.toString(),
                "--trainers",
                "2");

        // Rank 0 is the command's own process: start it as a user would, and kill it once an epoch is committed.
        Path log = tmp.resolve("train.log");
        Process rankZero = cliProcess(train, log);
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
        List<String> again = new java.util.ArrayList<>(train);
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

    /** {@code bin/tessera ARGS} as its own JVM (this one's flags and class path), output and errors to {@code log}. */
    private static Process cliProcess(List<String> args, Path log) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
                .toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TesseraCli.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
