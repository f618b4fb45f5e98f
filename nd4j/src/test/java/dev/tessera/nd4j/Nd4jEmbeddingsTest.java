package dev.tessera.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.Backends;
import dev.tessera.serving.EmbeddingModel;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.trainer.SmallGraph;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A checkpoint trained on the ND4J backend, read back as an INDArray whose rows are the model's vectors. */
class Nd4jEmbeddingsTest {
    @Test
    void rowsAreTheNamedEntitiesVectors(@TempDir Path tmp) {
        TesseraConfig config = SmallGraph.build(
                SmallGraph.data("kg/nations"),
                tmp.resolve("g"),
                2,
                "operator: complex_diagonal\ndimension: 8\ncomparator: dot\nloss_fn: softmax\nbias: true\n"
                        + "num_batch_negs: 10\nnum_uniform_negs: 5\nnum_epochs: 2\nworkers: 2\nbackend: nd4j\n");
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(tmp.resolve("ck"), g.meta().fingerprint())) {
            new Trainer(g, ck, config, Backends.create(config.backend())).train(new TrainingListener() {});
        }
        Nd4jEmbeddings.TypeEmbeddings loaded = Nd4jEmbeddings.load(tmp.resolve("g"), tmp.resolve("ck"), "e");
        INDArray v = loaded.vectors();
        assertEquals(DataType.FLOAT, v.dataType());
        assertArrayEquals(new long[] {14, 8}, v.shape());
        assertEquals('c', v.ordering());
        try (EmbeddingModel model = EmbeddingModel.open(tmp.resolve("g"), tmp.resolve("ck"))) {
            assertEquals(14, loaded.names().size());
            for (int row = 0; row < 14; row++) {
                assertArrayEquals(
                        model.vector(loaded.names().get(row)),
                        v.getRow(row).toFloatVector(),
                        loaded.names().get(row));
            }
        }
    }
}
