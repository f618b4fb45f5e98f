package dev.tessera.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.StoredModel;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.TrainedGraph;
import dev.tessera.trainer.SmallGraph;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query API on nations (14 countries), trained briefly, with and without reciprocal relations. */
class EmbeddingModelTest {
    @ParameterizedTest
    @CsvSource({"complex_diagonal, dot, false, dot", "translation, l2, true, l2", "diagonal, cos, false, cosine"})
    void scoresRanksAndNeighboursAgree(
            String operator, String comparator, boolean dynamic, String metric, @TempDir Path tmp) throws Exception {
        TesseraConfig config = SmallGraph.build(
                SmallGraph.data("kg/nations"),
                tmp.resolve("g"),
                2,
                "operator: " + operator + "\ndimension: 16\ncomparator: " + comparator + "\nloss_fn: softmax\n"
                        + "num_batch_negs: 20\nnum_uniform_negs: 10\nlr: 0.1\nnum_epochs: 5\nworkers: 1\nseed: 2\n"
                        + "dynamic_relations: " + dynamic + "\n");
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(tmp.resolve("ck"), g.meta().fingerprint())) {
            new Trainer(g, ck, config, new OpenBlasBackend()).train(new TrainingListener() {});
        }
        String[] triple = Files.readAllLines(SmallGraph.data("kg/nations").resolve("train.txt"))
                .get(0)
                .split("\t");
        String h = triple[0];
        String r = triple[1];
        String t = triple[2];
        Set<String> knownTails = Files.readAllLines(
                        SmallGraph.data("kg/nations").resolve("train.txt"))
                .stream()
                .map(l -> l.split("\t"))
                .filter(x -> x[0].equals(h) && x[1].equals(r))
                .map(x -> x[2])
                .collect(Collectors.toSet());
        try (EmbeddingModel m = EmbeddingModel.open(tmp.resolve("g"), tmp.resolve("ck"))) {
            assertEquals(metric, m.metric());
            List<EmbeddingModel.Scored> tails = m.topTails(h, r, 14, false);
            assertEquals(14, tails.size());
            for (int i = 1; i < tails.size(); i++) {
                assertTrue(tails.get(i - 1).score() >= tails.get(i).score(), "best first: " + tails);
            }
            // Every listed score is what score() gives for that triple.
            for (EmbeddingModel.Scored s : tails) {
                assertEquals(m.score(h, r, s.entity()), s.score(), 1e-4, s.entity());
            }
            List<EmbeddingModel.Scored> filtered = m.topTails(h, r, 14, true);
            assertEquals(14 - knownTails.size(), filtered.size());
            assertTrue(filtered.stream().noneMatch(s -> knownTails.contains(s.entity())), filtered.toString());
            List<EmbeddingModel.Scored> heads = m.topHeads(r, t, 3, false);
            assertEquals(3, heads.size());

            float[] a = m.vector(h);
            List<EmbeddingModel.Scored> near = m.nearest(h, 13);
            assertEquals(13, near.size());
            assertFalse(near.stream().anyMatch(s -> s.entity().equals(h)), "itself is not its neighbour");
            EmbeddingModel.Scored first = near.get(0);
            float[] b = m.vector(first.entity());
            assertEquals(byMetric(metric, a, b), first.score(), 1e-4);
            for (EmbeddingModel.Scored s : near) {
                assertTrue(byMetric(metric, a, m.vector(s.entity())) <= first.score() + 1e-5, s.toString());
            }

            // On 14 entities the HNSW walk sees every node: the approximate answer is the exact one.
            assertEquals(near, m.nearest(h, 13, null, true));
            // Exact search one partition at a time (of the graph's two) gives the same answer, scores and order.
            try (TrainedGraph trained = TrainedGraph.open(tmp.resolve("g"), tmp.resolve("ck"))) {
                StreamedNeighbours streamed =
                        new StreamedNeighbours(trained.graph(), new StoredModel(trained.graph(), trained.checkpoint()));
                assertEquals(metric, streamed.metric());
                assertEquals(near, streamed.nearest(h, 13, null));
                assertEquals(m.nearest(h, 4), streamed.nearest(h, 4, "e"));
            }
            assertTrue(assertThrows(IllegalArgumentException.class, () -> m.nearest(h, 3, "planet", false))
                    .getMessage()
                    .contains("unknown entity type 'planet'"));

            // Concurrent readers see what a single one sees.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<EmbeddingModel.Scored>>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    results.add(pool.submit(() -> m.topTails(h, r, 5, true)));
                }
                for (Future<List<EmbeddingModel.Scored>> f : results) {
                    assertEquals(m.topTails(h, r, 5, true), f.get());
                }
            } finally {
                pool.shutdownNow();
            }

            assertTrue(assertThrows(IllegalArgumentException.class, () -> m.vector("atlantis"))
                    .getMessage()
                    .contains("unknown entity 'atlantis'"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> m.topTails(h, "no_such", 3, false))
                    .getMessage()
                    .contains("unknown relation 'no_such'"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> m.nearest(h, 0))
                    .getMessage()
                    .contains("k must be positive, got 0"));
        }
    }

    private static double byMetric(String metric, float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        double sq = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
            sq += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return switch (metric) {
            case "cosine" -> dot / Math.sqrt(na * nb);
            case "dot" -> dot;
            default -> -Math.sqrt(sq);
        };
    }
}
