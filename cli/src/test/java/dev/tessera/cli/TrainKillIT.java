package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.jobs.ChildJvm;
import dev.tessera.jobs.ImportFixtures;
import dev.tessera.jobs.TestSpark;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingConfig;
import dev.tessera.trainer.TrainingListener;
import dev.tessera.trainer.eval.Evaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL {@code bin/tessera train} at random moments: whatever the instant, the checkpoint directory holds a
 * readable last complete checkpoint (every partition and parameter of it loads), and training resumes from
 * it and finishes.
 */
class TrainKillIT {
    private static final String CONFIG = "entities:\n  e: {num_partitions: 2}\ndiscover_relations: true\n"
            + "relation_template: {operator: complex_diagonal}\ndimension: 32\ncomparator: dot\nloss_fn: softmax\n"
            + "num_batch_negs: 20\nnum_uniform_negs: 20\nlr: 0.1\nbatch_size: 500\nbucket_order: random\n"
            + "num_epochs: 1000\n";

    @Test
    void killedTrainingAlwaysLeavesAReadableCheckpointAndResumes(@TempDir Path tmp) throws Exception {
        Path config = ImportFixtures.config(tmp, CONFIG);
        Path data = TestSpark.data("kg/kinship");
        Path graph = tmp.resolve("graph");
        ImportFixtures.run(
                config, ImportFixtures.splits(data.resolve("train.txt"), null, data.resolve("test.txt")), graph, 2);
        Path ck = tmp.resolve("ck");
        Random random = new Random(11);
        int lastEpochs = 0;
        for (int attempt = 0; attempt < 4; attempt++) {
            Process p = ChildJvm.java(
                            System.getProperty("java.class.path"),
                            List.of(
                                    "dev.tessera.cli.TesseraCli",
                                    "train",
                                    "--config",
                                    config.toString(),
                                    "--graph",
                                    graph.toString(),
                                    "--checkpoint",
                                    ck.toString()),
                            tmp.resolve("train-" + attempt + ".log"))
                    .start();
            if (attempt == 0) {
                // On a loaded machine a first epoch can take longer than the random window: the kills must
                // find committed epochs as well as none, so the first one waits for the first commit.
                awaitFirstCommit(ck, p);
            }
            Thread.sleep(2500 + random.nextInt(3000));
            assertTrue(p.isAlive(), "training of 1000 epochs must still be running when killed");
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            int epochs = readable(graph, ck);
            assertTrue(epochs >= lastEpochs, "checkpoints never go back: " + epochs + " after " + lastEpochs);
            lastEpochs = epochs;
        }
        assertTrue(lastEpochs > 0, "some epochs completed between kills");
        try (GraphStore g = GraphStore.openReadOnly(graph);
                CheckpointStore store =
                        CheckpointStore.openOrCreate(ck, g.meta().fingerprint())) {
            TesseraConfig effective = TrainingConfig.merge(
                    g.meta().schema(), ConfigLoader.load(config).with("num_epochs", lastEpochs + 2));
            Trainer.Result r = new Trainer(g, store, effective, new OpenBlasBackend()).train(new TrainingListener() {});
            assertEquals(lastEpochs + 2, r.epochs());
            assertEquals(lastEpochs + 2, store.latest().orElseThrow().epochs());
        }
    }

    /** Waits until training has committed a checkpoint (its report appears with the first commit). */
    private static void awaitFirstCommit(Path ck, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(ck.resolve("report.html")) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Loads everything the latest checkpoint points at and ranks the test split; returns its epochs. */
    private static int readable(Path graph, Path ck) {
        try (GraphStore g = GraphStore.openReadOnly(graph);
                CheckpointStore store =
                        CheckpointStore.openOrCreate(ck, g.meta().fingerprint())) {
            Checkpoint c = store.latest().orElse(null);
            if (c == null) {
                return 0;
            }
            Map<String, Object> m = new Evaluator(g, store, new OpenBlasBackend()).evaluate(Split.TEST, false, 50);
            assertEquals(100L, m.get("count"), "50 edges ranked both ways");
            return c.epochs();
        }
    }
}
