package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.jobs.NeighboursJob;
import dev.tessera.jobs.SparkProgress;
import dev.tessera.jobs.TestSpark;
import dev.tessera.serving.EmbeddingModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The neighbours job in local[2], read back from Parquet and compared with exact search entity by entity. */
class NeighboursJobIT {
    @Test
    void everyEntitysNeighboursAreTheExactOnes(@TempDir Path tmp) {
        TrainedFixture.Trained kinship = TrainedFixture.train(tmp, "kinship", "cos");
        Path out = tmp.resolve("neighbours");
        Map<String, Object> report;
        try (SparkProgress progress = new SparkProgress(TestSpark.get(), System.err, false)) {
            report = new NeighboursJob(
                            TestSpark.get(),
                            new NeighboursJob.Options(kinship.graph(), kinship.checkpoint(), 7, null, out),
                            progress)
                    .run();
        }
        assertEquals(104L, report.get("entities"));
        assertEquals("cosine", report.get("metric"));
        List<Row> rows = TestSpark.get().read().parquet(out.toString()).collectAsList();
        assertEquals(104, rows.size());
        Map<String, Row> byEntity = new HashMap<>();
        rows.forEach(r -> byEntity.put(r.getString(r.fieldIndex("entity")), r));
        assertEquals(104, byEntity.size(), "one row per entity");
        try (EmbeddingModel m = EmbeddingModel.open(kinship.graph(), kinship.checkpoint())) {
            for (Map.Entry<String, Row> e : byEntity.entrySet()) {
                Row r = e.getValue();
                assertEquals("e", r.getString(r.fieldIndex("type")));
                List<String> names = r.getList(r.fieldIndex("neighbours"));
                List<Float> scores = r.getList(r.fieldIndex("scores"));
                List<EmbeddingModel.Scored> want = m.nearest(e.getKey(), 7);
                assertEquals(7, names.size());
                for (int i = 0; i < 7; i++) {
                    assertEquals(want.get(i).entity(), names.get(i), e.getKey() + " rank " + i);
                    assertEquals(want.get(i).score(), scores.get(i), 1e-6);
                }
            }
        }
        try (SparkProgress progress = new SparkProgress(TestSpark.get(), System.err, false)) {
            assertTrue(assertThrows(
                            IllegalArgumentException.class,
                            () -> new NeighboursJob(
                                            TestSpark.get(),
                                            new NeighboursJob.Options(
                                                    kinship.graph(), kinship.checkpoint(), 7, null, out),
                                            progress)
                                    .run())
                    .getMessage()
                    .contains("already exists"));
            assertTrue(assertThrows(
                            IllegalArgumentException.class,
                            () -> new NeighboursJob(
                                            TestSpark.get(),
                                            new NeighboursJob.Options(
                                                    kinship.graph(),
                                                    kinship.checkpoint(),
                                                    7,
                                                    "items",
                                                    tmp.resolve("x")),
                                            progress)
                                    .run())
                    .getMessage()
                    .contains("unknown entity type 'items'"));
            Map<String, Object> typed = new NeighboursJob(
                            TestSpark.get(),
                            new NeighboursJob.Options(
                                    kinship.graph(), kinship.checkpoint(), 200, "e", tmp.resolve("all")),
                            progress)
                    .run();
            assertEquals(104L, typed.get("entities"));
        }
        // k beyond the type's size: every other entity, once.
        Row any = TestSpark.get().read().parquet(tmp.resolve("all").toString()).first();
        assertEquals(103, any.getList(any.fieldIndex("neighbours")).size());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> new NeighboursJob.Options(kinship.graph(), kinship.checkpoint(), 0, null, out))
                .getMessage()
                .contains("k must be positive"));
    }
}
