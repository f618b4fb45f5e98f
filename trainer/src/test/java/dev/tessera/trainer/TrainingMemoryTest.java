package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingMemoryTest {
    private static final String SETTINGS = "operator: complex_diagonal\ndimension: 64\ncomparator: dot\n"
            + "loss_fn: softmax\nlr: 0.1\nbatch_size: 100\nworkers: 2\ndynamic_relations: true\n"
            + "training_mode: k_vs_all\neval_fraction: 0\n";

    @Test
    void countsPartitionsWorkerScratchAndTheLargestBucket(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/kinship"), tmp.resolve("g"), 2, SETTINGS);
        TrainingSettings s = TrainingSettings.of(config);
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"))) {
            long[] rows = g.meta().entityCounts("e");
            long largestBucket = 0;
            for (int l = 0; l < 2; l++) {
                for (int r = 0; r < 2; r++) {
                    largestBucket = Math.max(largestBucket, g.meta().edgeCount(Split.TRAIN, l, r));
                }
            }
            TrainingMemory memory = new TrainingMemory(config, s, g.meta(), 2, 1000);
            long partitions = 2 * Math.max(rows[0], rows[1]) * 65 * 4;
            long scratch = 2 * 1000 * 4;
            long edges = 2 * largestBucket * 12; // k_vs_all keeps each bucket's edges twice
            assertEquals(partitions + scratch + edges, memory.bytes());

            memory.check(memory.bytes());
            IllegalArgumentException refused =
                    assertThrows(IllegalArgumentException.class, () -> memory.check(memory.bytes() - 1));
            String message = refused.getMessage();
            assertTrue(message.contains("2 partitions of 'e' in memory"), message);
            assertTrue(message.contains("k_vs_all scratch of 2 workers"), message);
            assertTrue(message.contains("TESSERA_JAVA_OPTS=-Xmx1g"), message);
        }
    }

    @ParameterizedTest
    @CsvSource({"dot, false", "dot, true", "cos, false", "l2, false"})
    void countsTheScratchA1VsAllTrainerAllocates(String comparator, boolean bias) {
        TesseraConfig config = OneVsAllTrainerTest.config(
                        "complex_diagonal", comparator, "softmax", bias, "1_vs_all", 0)
                .with("dimension", 32)
                .with("batch_size", 300);
        TrainingSettings s = TrainingSettings.of(config);
        ModelParameters params = new ModelParameters(config, 32);
        OpenBlasBackend backend = new OpenBlasBackend();
        int rows = 20_000;
        long counted = OneVsAllTrainer.partitionScratchFloats(s, backend, params, rows) * Float.BYTES;
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        OneVsAllTrainer trainer = new OneVsAllTrainer(s, backend, params, rows);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // What grows with a block's queries and the objects themselves: well under a megabyte here.
        assertTrue(allocated >= counted, comparator + ": allocated " + allocated + " < counted " + counted);
        assertTrue(allocated - counted < 1 << 20, comparator + ": allocated " + allocated + ", counted " + counted);
        assertTrue(trainer != null); // reachable until the count above, so nothing of it is optimised away
    }

    @Test
    void aModelLargerThanTheHeapIsRefusedBeforeTraining(@TempDir Path tmp) {
        // 40,943 entities × 65,536 dimensions: 10.7 GB of embeddings, more than the tests' 3 GB heap.
        TesseraConfig config = SmallGraph.build(
                SmallGraph.data("kg/WN18RR"),
                tmp.resolve("g"),
                1,
                SETTINGS.replace("dimension: 64", "dimension: 65536"));
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(tmp.resolve("ck"), g.meta().fingerprint())) {
            Trainer trainer = new Trainer(g, ck, config, new OpenBlasBackend());
            IllegalArgumentException refused =
                    assertThrows(IllegalArgumentException.class, () -> trainer.train(new TrainingListener() {}));
            assertTrue(refused.getMessage().startsWith("training needs at least"), refused.getMessage());
            assertTrue(ck.latest().isEmpty(), "nothing was trained");
        }
    }
}
