package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.model.backend.JavaBackend;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.trainer.eval.Evaluator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TrainJob with two trainers as a barrier stage of a local[2] session: trains, checkpoints, evaluates. */
class BarrierTrainJobIT {
    private static final String IMPORT = "entities:\n  entity: {}\ndiscover_relations: true\n";
    private static final String TRAIN = "entities:\n  entity: {num_partitions: 2}\ndiscover_relations: true\n"
            + "relation_template: {operator: complex_diagonal}\ndimension: 32\ncomparator: dot\nloss_fn: softmax\nnum_batch_negs: 50\n"
            + "lr: 0.1\nnum_epochs: 6\nbatch_size: 500\nregularization_coef: 0.001\nworkers: 1\nseed: 1\n";

    @Test
    void twoTrainersInABarrierStageTrainACheckpointThatEvaluates(@TempDir Path tmp) {
        TestSpark.get();
        Path dir = TestSpark.data("kg/kinship");
        ImportFixtures.run(
                ImportFixtures.config(tmp, IMPORT),
                ImportFixtures.splits(dir.resolve("train.txt"), dir.resolve("valid.txt"), dir.resolve("test.txt")),
                tmp.resolve("graph"),
                2);
        TrainJob.Arguments a = new TrainJob.Arguments();
        a.config = ImportFixtures.file(tmp, "train.yaml", TRAIN);
        a.graph = tmp.resolve("graph");
        a.checkpoint = tmp.resolve("ck");
        a.trainers = 2;
        Map<String, Object> summary = TrainJob.runDistributed(null, a);
        assertEquals(2, ((Number) summary.get("trainers")).intValue());
        assertEquals(6, ((Number) summary.get("epochs")).intValue());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) summary.get("buckets_per_epoch");
        assertEquals(6, epochs.size());
        epochs.forEach(e -> assertEquals(Boolean.TRUE, e.get("each_bucket_once"), e.toString()));
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("graph"));
                CheckpointStore ck =
                        CheckpointStore.openExisting(tmp.resolve("ck"), g.meta().fingerprint())) {
            assertEquals(6, ck.latest().orElseThrow().epochs());
            double mrr = ((Number) new Evaluator(g, ck, new JavaBackend())
                            .evaluate(Split.TEST, true, 0)
                            .get("mrr"))
                    .doubleValue();
            System.out.println("kinship, 2 trainers in a barrier stage, 6 epochs: filtered MRR " + mrr);
            // Measured 0.467 and 0.511 (distributed runs vary); an untrained model scores about 0.05.
            assertTrue(mrr > 0.3, "filtered MRR " + mrr);
        }
    }
}
