package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.util.Json;
import dev.tessera.jobs.ImportFixtures;
import dev.tessera.jobs.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
}
