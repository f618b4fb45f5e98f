package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.StorageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {
    private static final String SETTINGS = "operator: translation\ndimension: 16\ncomparator: l2\nloss_fn: ranking\n"
            + "margin: 1.0\nnum_batch_negs: 20\nnum_uniform_negs: 20\nlr: 0.05\nbatch_size: 200\nworkers: 1\nseed: 3\n"
            + "bucket_order: buffer_aware\npartition_buffer: 2\n";

    @Test
    void trainingResumesAfterTheLastCompleteEpochAndMatchesAnUninterruptedRun(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/nations"), tmp.resolve("g"), 3, SETTINGS);
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"))) {
            String fp = g.meta().fingerprint();
            try (CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("a"), fp)) {
                new Trainer(g, ck, config.with("num_epochs", 2), new OpenBlasBackend())
                        .train(new TrainingListener() {});
                assertEquals(2, ck.latest().orElseThrow().epochs());
            }
            Checkpoint resumed;
            float[] resumedPart = new float[16 * 20];
            try (CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("a"), fp)) {
                Trainer.Result r = new Trainer(g, ck, config.with("num_epochs", 4), new OpenBlasBackend())
                        .train(new TrainingListener() {});
                resumed = ck.latest().orElseThrow();
                assertEquals(4, r.epochs());
                assertEquals(4, resumed.history().size(), "history keeps the first run's epochs");
                read(ck, resumed, resumedPart);
            }
            float[] straightPart = new float[16 * 20];
            try (CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("b"), fp)) {
                new Trainer(g, ck, config.with("num_epochs", 4), new OpenBlasBackend())
                        .train(new TrainingListener() {});
                read(ck, ck.latest().orElseThrow(), straightPart);
            }
            // One worker, seeded: resuming after epoch 2 gives the very same model as training 4 epochs at once.
            assertArrayEquals(straightPart, resumedPart, 1e-6f);
        }
    }

    @Test
    void aCheckpointOfAnotherGraphIsRefused(@TempDir Path tmp) {
        SmallGraph.build(SmallGraph.data("kg/nations"), tmp.resolve("g"), 1, SETTINGS);
        try (CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), "{\"graph\":\"one\"}")) {
            assertTrue(ck.latest().isEmpty());
        }
        StorageException e = assertThrows(
                StorageException.class, () -> CheckpointStore.openOrCreate(tmp.resolve("ck"), "{\"graph\":\"two\"}"));
        assertTrue(e.getMessage().contains("belongs to another graph"), e.getMessage());
    }

    @Test
    void resumingWithAnotherModelIsRefused(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/nations"), tmp.resolve("g"), 1, SETTINGS);
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(tmp.resolve("ck"), g.meta().fingerprint())) {
            new Trainer(g, ck, config.with("num_epochs", 1), new OpenBlasBackend()).train(new TrainingListener() {});
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new Trainer(
                                    g,
                                    ck,
                                    config.with("num_epochs", 2).with("comparator", "dot"),
                                    new OpenBlasBackend())
                            .train(new TrainingListener() {}));
            assertTrue(e.getMessage().contains("was trained with [comparator l2 (now dot)]"), e.getMessage());
            // Reciprocal relations add parameters the checkpoint does not have.
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new Trainer(
                                    g,
                                    ck,
                                    config.with("num_epochs", 2).with("dynamic_relations", true),
                                    new OpenBlasBackend())
                            .train(new TrainingListener() {}));
            assertTrue(e.getMessage().contains("dynamic_relations false (now true)"), e.getMessage());
            // A change that does not alter the model (the learning rate) resumes.
            new Trainer(g, ck, config.with("num_epochs", 2).with("lr", 0.01), new OpenBlasBackend())
                    .train(new TrainingListener() {});
            assertEquals(2, ck.latest().orElseThrow().epochs());
        }
    }

    private static void read(CheckpointStore ck, Checkpoint c, float[] out) {
        int rows = out.length / 16;
        ck.readPartition(c.partitionVersion()[0][1], 0, 1, out, null, rows, 16);
    }
}
