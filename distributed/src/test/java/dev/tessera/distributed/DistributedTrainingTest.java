package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.JavaBackend;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.trainer.SmallGraph;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingListener;
import dev.tessera.trainer.eval.Evaluator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trainers over Aeron on loopback, each a thread of this JVM with its own media driver: the whole protocol
 * (join, leases, partition transfers, parameter exchanges, the epoch-end commit) without process start-up.
 */
class DistributedTrainingTest {
    private static final String SETTINGS = "operator: complex_diagonal\ndimension: 32\ncomparator: dot\n"
            + "loss_fn: softmax\nnum_batch_negs: 50\nlr: 0.1\nnum_epochs: 8\nbatch_size: 500\n"
            + "regularization_coef: 0.001\nworkers: 1\nseed: 1\n";

    @Test
    void twoTrainersTrainEveryBucketOnceAndMatchOneTrainersQuality(@TempDir Path tmp) throws Exception {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/kinship"), tmp.resolve("g"), 4, SETTINGS);
        double single = trainSingle(tmp.resolve("g"), tmp.resolve("single"), config);

        List<DistributedTrainer.Result> results =
                trainDistributed(2, tmp.resolve("g"), tmp.resolve("ck"), config, DistributedSettings.defaults());
        DistributedTrainer.Result rankZero = results.get(0);
        assertEquals(8, rankZero.epochs().size());
        for (Map<String, Object> epoch : rankZero.epochs()) {
            assertEquals(Boolean.TRUE, epoch.get("each_bucket_once"), epoch.toString());
            @SuppressWarnings("unchecked")
            List<Integer> byTrainer = (List<Integer>) epoch.get("buckets_by_trainer");
            assertEquals(epoch.get("buckets"), byTrainer.get(0) + byTrainer.get(1));
        }
        assertTrue(results.get(1).bytesReceived() > 0, "trainer 1 fetched partitions from trainer 0");
        double distributed = filteredMrr(tmp.resolve("g"), tmp.resolve("ck"));
        System.out.printf("kinship filtered MRR, 8 epochs: one trainer %.3f, two %.3f%n", single, distributed);
        // Which trainer trains which bucket, and when parameters are exchanged, varies from run to run: two
        // trainers measured 0.548–0.632 in eight runs against one trainer's (deterministic) 0.604. A broken
        // exchange or transfer lands far lower.
        assertTrue(Math.abs(distributed - single) < 0.08, "2 trainers " + distributed + " vs 1 trainer " + single);
        assertTrue(distributed > 0.4, "distributed MRR " + distributed);
        assertTrue(Files.notExists(tmp.resolve("ck").resolve("distributed").resolve("v8")), "staging cleaned up");

        // A checkpoint of two trainers resumes with one.
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(tmp.resolve("ck"), g.meta().fingerprint())) {
            Trainer.Result more = new Trainer(g, ck, config.with("num_epochs", 9), new OpenBlasBackend())
                    .train(new TrainingListener() {});
            assertEquals(9, more.epochs());
            Checkpoint c = ck.latest().orElseThrow();
            assertEquals(9, c.epochs());
        }
    }

    @Test
    void aTrainerWithoutTheSharedSecretIsRefused(@TempDir Path tmp) throws Exception {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/nations"), tmp.resolve("g"), 2, SETTINGS);
        Path secret = Files.writeString(tmp.resolve("secret"), "correct horse battery staple\n");
        Path wrong = Files.writeString(tmp.resolve("wrong"), "incorrect\n");
        DistributedSettings quick = new DistributedSettings(
                60_000_000_000L,
                120_000_000_000L,
                200_000_000L,
                5_000_000_000L,
                10_000_000_000L,
                5_000_000_000L,
                60_000_000_000L,
                1 << 14,
                secret);
        List<InetSocketAddress> endpoints = LocalTrainers.freeLoopbackEndpoints(2);
        CompletableFuture<DistributedTrainer.Result> impostor =
                CompletableFuture.supplyAsync(() -> DistributedTrainer.run(
                        new DistributedTrainer.Spec(
                                1,
                                endpoints,
                                tmp.resolve("g"),
                                tmp.resolve("ck"),
                                config.with("num_epochs", 1),
                                quick.withSecretFile(wrong)),
                        new JavaBackend(),
                        new TrainingListener() {}));
        TransferException e = assertThrows(
                TransferException.class,
                () -> DistributedTrainer.run(
                        new DistributedTrainer.Spec(
                                0, endpoints, tmp.resolve("g"), tmp.resolve("ck"), config.with("num_epochs", 1), quick),
                        new JavaBackend(),
                        new TrainingListener() {}));
        assertTrue(e.getMessage().contains("[1] never joined"), e.getMessage());
        ExecutionException refused = assertThrows(ExecutionException.class, () -> impostor.get(60, TimeUnit.SECONDS));
        assertTrue(
                refused.getCause().getMessage().contains("refused trainer 1"),
                refused.getCause().getMessage());
    }

    @Test
    void unpartitionedTypesAreRefusedClearly(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/nations"), tmp.resolve("g"), 1, SETTINGS);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DistributedTrainer.run(
                        new DistributedTrainer.Spec(
                                0,
                                LocalTrainers.freeLoopbackEndpoints(2),
                                tmp.resolve("g"),
                                tmp.resolve("ck"),
                                config,
                                DistributedSettings.defaults()),
                        new JavaBackend(),
                        new TrainingListener() {}));
        assertTrue(e.getMessage().contains("P = 1"), e.getMessage());
    }

    static List<DistributedTrainer.Result> trainDistributed(
            int n, Path graph, Path checkpoint, TesseraConfig config, DistributedSettings settings) throws Exception {
        List<InetSocketAddress> endpoints = LocalTrainers.freeLoopbackEndpoints(n);
        List<CompletableFuture<DistributedTrainer.Result>> ranks = new ArrayList<>();
        for (int r = n - 1; r >= 0; r--) {
            int rank = r;
            ranks.add(
                    0,
                    CompletableFuture.supplyAsync(() -> DistributedTrainer.run(
                            new DistributedTrainer.Spec(rank, endpoints, graph, checkpoint, config, settings),
                            new OpenBlasBackend(),
                            new TrainingListener() {})));
        }
        List<DistributedTrainer.Result> out = new ArrayList<>();
        for (CompletableFuture<DistributedTrainer.Result> f : ranks) {
            out.add(f.get(300, TimeUnit.SECONDS));
        }
        return out;
    }

    private static double trainSingle(Path graph, Path checkpoint, TesseraConfig config) {
        try (GraphStore g = GraphStore.openReadOnly(graph);
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(checkpoint, g.meta().fingerprint())) {
            new Trainer(g, ck, config, new OpenBlasBackend()).train(new TrainingListener() {});
        }
        return filteredMrr(graph, checkpoint);
    }

    static double filteredMrr(Path graph, Path checkpoint) {
        try (GraphStore g = GraphStore.openReadOnly(graph);
                CheckpointStore ck =
                        CheckpointStore.openExisting(checkpoint, g.meta().fingerprint())) {
            Map<String, Object> m = new Evaluator(g, ck, new JavaBackend()).evaluate(Split.TEST, true, 0);
            return ((Number) m.get("mrr")).doubleValue();
        }
    }
}
