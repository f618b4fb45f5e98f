package dev.tessera.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-made checkpoint of three partitions (one empty) read whole, by partition and by selected rows. */
class StoredModelTest {
    @Test
    void partitionsAndSelectedRowsReadWhatTheWholeModelHolds(@TempDir Path tmp) {
        TesseraConfig config = ConfigLoader.parse(
                "entities:\n  e: {num_partitions: 3}\nrelations:\n"
                        + "  - {name: r, lhs: e, rhs: e, operator: diagonal}\ndimension: 2\nglobal_emb: true\n",
                "t");
        try (GraphStore g = GraphStore.create(tmp.resolve("g"))) {
            g.writeMeta(new GraphMeta(config, 3, Map.of("e", new long[] {3, 0, 2}), Map.of(), Map.of()));
        }
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), "fp")) {
            ck.writePartition(1, 0, 0, new float[] {1, 2, 3, 4, 5, 6}, new float[3], 3, 2);
            ck.writePartition(1, 0, 2, new float[] {7, 8, 9, 10}, new float[2], 2, 2);
            ck.writeParams(1, 0, new float[] {1f, 1f}, new float[2]);
            ck.writeParams(1, 1_000_000, new float[] {10f, 20f}, new float[2]);
            ck.writeConfig(config.toJson());
            ck.commit(new Checkpoint(1, 1, new int[][] {{1, 1, 1}}, 1, 2, List.of()));

            StoredModel stored = new StoredModel(g, ck);
            assertEquals(5, stored.count[0]);
            assertEquals(3, stored.partitions(0));
            assertEquals(0, stored.partitionRows(0, 1));
            // Rows in partition-then-offset order; the empty partition takes none.
            assertEquals(new EntityRef(0, 2, 0), stored.entityAt(0, 3));
            assertEquals(new EntityRef(0, 0, 2), stored.entityAt(0, 2));
            assertEquals(4, stored.row(0, 2, 1));

            float[] whole = {11, 22, 13, 24, 15, 26, 17, 28, 19, 30}; // global (10, 20) added
            TrainedModel trained = new TrainedModel(stored);
            assertArrayEquals(whole, trained.embeddings[0]);
            float[] partition = stored.partitionBuffer(0);
            stored.readPartition(0, 2, partition);
            assertArrayEquals(new float[] {17, 28, 19, 30}, java.util.Arrays.copyOf(partition, 4));

            SelectedRows selected = new SelectedRows(stored, new int[][] {{4, 0, 4, 3}});
            assertArrayEquals(new float[] {17, 28, 11, 22, 19, 30}, selected.rows(0, new int[] {3, 0, 4}));
            assertArrayEquals(trained.rows(0, new int[] {3, 0, 4}), selected.rows(0, new int[] {3, 0, 4}));
            assertEquals(
                    "row 1 of type 0 was not selected",
                    assertThrows(IllegalArgumentException.class, () -> selected.rows(0, new int[] {1}))
                            .getMessage());
            assertThrows(UnsupportedOperationException.class, () -> selected.rows(0, null));
            assertEquals(
                    "row 5 of type 0 is not in the model (5 rows)",
                    assertThrows(IllegalArgumentException.class, () -> new SelectedRows(stored, new int[][] {{5}}))
                            .getMessage());
        }
    }
}
