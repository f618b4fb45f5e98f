package dev.tessera.trainer.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.trainer.backend.JavaBackend;
import dev.tessera.trainer.eval.Evaluator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerQualityTest {
    @Test
    void complexLearnsKinship(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/kinship"), tmp.resolve("g"), 2,
                "operator: complex_diagonal\ndimension: 64\ncomparator: dot\nloss_fn: softmax\nnum_batch_negs: 50\n"
                        + "num_uniform_negs: 50\nlr: 0.1\nnum_epochs: 30\nglobal_emb: false\nbatch_size: 1000\n"
                        + "regularization_coef: 0.001\nworkers: 2\nseed: 1\n");
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
             CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), Trainer.fingerprint(g.meta()))) {
            Trainer.Result r = new Trainer(g, ck, config, new dev.tessera.trainer.backend.OpenBlasBackend()).train(new TrainingListener() {
            });
            Map<String, Object> m = new Evaluator(g, ck, new dev.tessera.trainer.backend.OpenBlasBackend()).evaluate(Split.TEST, true, 0);
            System.out.println("kinship complex: " + r + " " + m);
            // Measured: filtered test MRR 0.656, Hits@10 0.947 (2 Hogwild workers, 4 s). Published ComplEx: ~0.82 with d=200+.
            assertTrue(((Number) m.get("mrr")).doubleValue() > 0.55, m.toString());
            assertTrue(((Number) m.get("hits10")).doubleValue() > 0.85, m.toString());
            // Held-out edges of each bucket, ranked against sampled candidates before and after it trains.
            double first = ((Number) r.history().get(0).get("eval_mrr_before")).doubleValue();
            double last = ((Number) r.history().get(r.history().size() - 1).get("eval_mrr_after")).doubleValue();
            // Measured 0.07 -> 0.27 (held-out edges are never trained on; 2 Hogwild workers vary a little).
            assertTrue(last > first + 0.1 && last > 0.15, "held-out MRR " + first + " -> " + last);
        }
    }

    @Test
    void degreeWeightedNegativesTrainToo(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/kinship"), tmp.resolve("g"), 2,
                "operator: complex_diagonal\ndimension: 64\ncomparator: dot\nloss_fn: softmax\nnum_batch_negs: 50\n"
                        + "num_uniform_negs: 25\nnum_degree_negs: 25\nlr: 0.1\nnum_epochs: 30\nglobal_emb: false\n"
                        + "batch_size: 1000\nregularization_coef: 0.001\nworkers: 2\nseed: 1\n");
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
             CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), Trainer.fingerprint(g.meta()))) {
            new Trainer(g, ck, config, new dev.tessera.trainer.backend.OpenBlasBackend()).train(new TrainingListener() {
            });
            Map<String, Object> m = new Evaluator(g, ck, new JavaBackend()).evaluate(Split.TEST, true, 0);
            // Measured: filtered test MRR 0.675, Hits@10 0.947 (half the uniform draws replaced by degree^0.75 ones).
            assertTrue(((Number) m.get("mrr")).doubleValue() > 0.55, m.toString());
        }
    }

    @Test
    void reciprocalRelationsLearnKinshipAndAreStored(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/kinship"), tmp.resolve("g"), 2,
                "operator: complex_diagonal\ndimension: 64\ncomparator: dot\nloss_fn: softmax\nnum_batch_negs: 50\n"
                        + "num_uniform_negs: 50\nlr: 0.1\nnum_epochs: 30\nglobal_emb: false\nbatch_size: 1000\n"
                        + "regularization_coef: 0.001\nworkers: 2\nseed: 1\ndynamic_relations: true\n");
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
             CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), Trainer.fingerprint(g.meta()))) {
            new Trainer(g, ck, config, new dev.tessera.trainer.backend.OpenBlasBackend()).train(new TrainingListener() {
            });
            Map<String, Object> m = new Evaluator(g, ck, new JavaBackend()).evaluate(Split.TEST, true, 0);
            System.out.println("kinship complex, dynamic relations: " + m);
            // Measured: filtered test MRR 0.699, Hits@10 0.966 (0.657 / 0.947 with one operator per relation).
            assertTrue(((Number) m.get("mrr")).doubleValue() > 0.6, m.toString());
            // Each relation's reciprocal operator was trained and stored apart from its forward one.
            ModelParameters p = new dev.tessera.trainer.export.TrainedModel(g, ck).params;
            ModelParameters fresh = new ModelParameters(config, 64);
            for (int r = 0; r < p.relation.length; r++) {
                assertFalse(java.util.Arrays.equals(fresh.reciprocal[r], p.reciprocal[r]), "reciprocal " + r + " trained");
                assertFalse(java.util.Arrays.equals(p.relation[r], p.reciprocal[r]), "reciprocal " + r + " stored apart");
            }
        }
    }

    @Test
    void biasedComparatorLearnsKinship(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/kinship"), tmp.resolve("g"), 1,
                "operator: complex_diagonal\ndimension: 64\ncomparator: dot\nbias: true\nloss_fn: softmax\n"
                        + "num_batch_negs: 50\nnum_uniform_negs: 50\nlr: 0.1\nnum_epochs: 30\nglobal_emb: false\n"
                        + "batch_size: 1000\nregularization_coef: 0.001\nworkers: 2\nseed: 1\n");
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
             CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), Trainer.fingerprint(g.meta()))) {
            new Trainer(g, ck, config, new dev.tessera.trainer.backend.OpenBlasBackend()).train(new TrainingListener() {
            });
            Map<String, Object> m = new Evaluator(g, ck, new JavaBackend()).evaluate(Split.TEST, true, 0);
            System.out.println("kinship complex, bias: " + m);
            // Measured: filtered test MRR 0.727, Hits@10 0.967 (one partition).
            assertTrue(((Number) m.get("mrr")).doubleValue() > 0.6, m.toString());
        }
    }

    @Test
    void everyEntityAsNegativeLearnsKinship(@TempDir Path tmp) {
        // all_negs on every relation (SmallGraph copies the first line into each relation's settings).
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/kinship"), tmp.resolve("g"), 2,
                "operator: complex_diagonal, all_negs: true\ndimension: 64\ncomparator: dot\nloss_fn: softmax\n"
                        + "num_batch_negs: 50\nlr: 0.1\nnum_epochs: 30\nglobal_emb: false\nbatch_size: 1000\n"
                        + "regularization_coef: 0.001\nworkers: 2\nseed: 1\n");
        assertTrue(config.relations().stream().allMatch(r -> r.allNegs()));
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
             CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), Trainer.fingerprint(g.meta()))) {
            new Trainer(g, ck, config, new dev.tessera.trainer.backend.OpenBlasBackend()).train(new TrainingListener() {
            });
            Map<String, Object> m = new Evaluator(g, ck, new JavaBackend()).evaluate(Split.TEST, true, 0);
            System.out.println("kinship complex, all_negs: " + m);
            // Measured: filtered test MRR 0.735, Hits@10 0.960 (0.657 / 0.947 with 50 uniform negatives).
            assertTrue(((Number) m.get("mrr")).doubleValue() > 0.62, m.toString());
        }
    }
}
