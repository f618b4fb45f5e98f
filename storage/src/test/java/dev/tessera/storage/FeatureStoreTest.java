package dev.tessera.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreTest {
    @TempDir
    Path dir;

    @Test
    void sparseAndDenseRowsRoundTripAndReplaceDropsOldRows() {
        try (GraphStore store = GraphStore.create(dir.resolve("g"))) {
            FeatureStore features = new FeatureStore(store);
            assertTrue(features.info().isEmpty());
            assertThrows(StorageException.class, features::require);
            EntityRef a = new EntityRef(0, 0, 0);
            EntityRef b = new EntityRef(0, 0, 2);
            EntityRef c = new EntityRef(0, 1, 0);
            // a: 2 of 6 columns (stored sparse); b: 4 of 6 (stored dense); c: in another partition.
            features.replace(
                    6,
                    List.of(
                                    new FeatureRow(a, new int[] {4, 1}, new float[] {0.5f, -2f}),
                                    new FeatureRow(b, new int[] {0, 1, 2, 5}, new float[] {1, 2, 3, 4}),
                                    new FeatureRow(c, new int[] {3}, new float[] {7}))
                            .iterator(),
                    "f.tsv");
            assertEquals(new FeatureStore.Info(6, 3, "f.tsv"), features.info().orElseThrow());
            List<FeatureRow> part0 = new ArrayList<>();
            features.forEachRow(0, 0, part0::add);
            assertEquals(2, part0.size());
            assertEquals(a, part0.get(0).entity());
            assertArrayEquals(new int[] {4, 1}, part0.get(0).columns());
            assertEquals(b, part0.get(1).entity());
            float[] dense = features.denseRows(List.of(b, new EntityRef(0, 0, 1), a, c), 6);
            assertArrayEquals(
                    new float[] {1, 2, 3, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, -2, 0, 0, 0.5f, 0, 0, 0, 0, 7, 0, 0}, dense);

            features.replace(
                    6,
                    List.of(new FeatureRow(c, new int[] {0}, new float[] {1})).iterator(),
                    "g.tsv");
            List<FeatureRow> after = new ArrayList<>();
            features.forEachRow(0, 0, after::add);
            assertTrue(after.isEmpty(), "rows of the previous import are gone");
            assertEquals(1, features.info().orElseThrow().rows());
        }
    }

    @Test
    void aColumnOutsideTheDimensionIsRefused() {
        try (GraphStore store = GraphStore.create(dir.resolve("g"))) {
            FeatureStore features = new FeatureStore(store);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> features.replace(
                            3,
                            List.of(new FeatureRow(new EntityRef(0, 0, 0), new int[] {3}, new float[] {1}))
                                    .iterator(),
                            "x"));
            assertTrue(features.info().isEmpty(), "no meta record for an import that failed");
        }
    }
}
