package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.trainer.eval.Evaluator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keep_best}: a validated run ends on the model of its best validation, also when killed between its
 * last epoch and that end, and keeps no data of a replaced best.
 */
class KeepBestTest {
    /** An absurd learning rate on a tiny graph: the valid MRR wanders from epoch to epoch. */
    private static String settings(int seed) {
        return "operator: complex_diagonal\ndimension: 100\ncomparator: dot\nloss_fn: softmax\nnum_batch_negs: 20\n"
                + "num_uniform_negs: 20\nlr: 20.0\nbatch_size: 100\nworkers: 1\nseed: " + seed
                + "\neval_fraction: 0\nvalidate_every: 1\nnum_epochs: 12\n";
    }

    private static final int EPOCHS = 12;

    @Test
    void aRunKilledAfterItsLastEpochEndsOnItsBestValidatedModelWhenResumed(@TempDir Path tmp) {
        // Where a wandering run peaks depends on float rounding: summing a softmax row in another order moved
        // seed 5's peak from epoch 4 to its last. The first of a few seeds whose run peaks before its end serves.
        for (int seed = 5; seed < 10; seed++) {
            if (endsOnItsBestWhenResumed(tmp.resolve("seed-" + seed), seed)) {
                return;
            }
        }
        fail("no seed's run peaked before its last epoch: nothing to restore, so nothing was tested");
    }

    /** False when the run peaked at its last epoch (so there is nothing to test); else checks and returns true. */
    private static boolean endsOnItsBestWhenResumed(Path tmp, int seed) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/nations"), tmp.resolve("g"), 2, settings(seed));
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(tmp.resolve("ck"), g.meta().fingerprint())) {
            TrainingListener killedAtTheEnd = new TrainingListener() {
                @Override
                public void onEpoch(int epoch, double loss, double edgesPerSecond) {
                    if (epoch == EPOCHS - 1) {
                        throw new IllegalStateException("killed");
                    }
                }
            };
            Trainer first = new Trainer(g, ck, config, new OpenBlasBackend());
            assertThrows(IllegalStateException.class, () -> first.train(killedAtTheEnd));
            Checkpoint last = ck.latest().orElseThrow();
            int bestEpoch = bestEpoch(last.history());
            if (bestEpoch == EPOCHS) {
                return false;
            }
            assertEquals(bestEpoch, last.best().epochs());
            assertEquals(EPOCHS, last.paramsVersion(), "killed before ending on the best");

            Trainer.Result resumed = new Trainer(g, ck, config, new OpenBlasBackend()).train(new TrainingListener() {});
            assertEquals(EPOCHS, resumed.epochs());
            Checkpoint end = ck.latest().orElseThrow();
            assertEquals(EPOCHS, end.epochs());
            assertEquals(EPOCHS, end.history().size());
            assertEquals(bestEpoch, end.paramsVersion(), "the best epoch's parameters");
            assertEquals(validMrr(last.history(), bestEpoch), validMrr(g, ck), 1e-9);
            assertTrue(!absent(ck, bestEpoch), "the best's parameters read back (so absence below is absence)");
            for (int v = 1; v <= EPOCHS; v++) {
                if (v != bestEpoch && !referenced(end, v)) {
                    assertTrue(absent(ck, v), "version " + v + " is dropped");
                }
            }
            return true;
        }
    }

    @Test
    void withoutKeepBestARunEndsOnItsLastEpoch(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/nations"), tmp.resolve("g"), 1, settings(5))
                .with("keep_best", false);
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(tmp.resolve("ck"), g.meta().fingerprint())) {
            new Trainer(g, ck, config, new OpenBlasBackend()).train(new TrainingListener() {});
            Checkpoint end = ck.latest().orElseThrow();
            assertNull(end.best());
            assertEquals(EPOCHS, end.paramsVersion());
            assertEquals(validMrr(end.history(), EPOCHS), validMrr(g, ck), 1e-9);
        }
    }

    private static int bestEpoch(List<Map<String, Object>> history) {
        int best = 0;
        double mrr = Double.NEGATIVE_INFINITY;
        for (Map<String, Object> epoch : history) {
            double m = ((Number) epoch.get(ValidationSchedule.VALID_MRR)).doubleValue();
            if (m > mrr) {
                mrr = m;
                best = ((Number) epoch.get("epoch")).intValue();
            }
        }
        return best;
    }

    private static double validMrr(List<Map<String, Object>> history, int epoch) {
        return ((Number) history.get(epoch - 1).get(ValidationSchedule.VALID_MRR)).doubleValue();
    }

    private static double validMrr(GraphStore g, CheckpointStore ck) {
        return ((Number) new Evaluator(g, ck, new OpenBlasBackend())
                        .evaluate(Split.VALID, true, 0)
                        .get("mrr"))
                .doubleValue();
    }

    private static boolean referenced(Checkpoint c, int version) {
        for (int[] row : c.partitionVersion()) {
            for (int v : row) {
                if (v == version) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether version {@code v}'s parameters are gone (every version writes them). */
    private static boolean absent(CheckpointStore ck, int v) {
        try {
            ck.readParams(v, 0, new float[100], null); // relation 0's ComplEx diagonal at d=100
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }
}
