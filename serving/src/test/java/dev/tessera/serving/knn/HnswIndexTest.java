package dev.tessera.serving.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.model.backend.OpenBlasBackend;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HNSW search against exact search on clustered vectors: recall, the metric's own scores, exclusions. */
class HnswIndexTest {
    @ParameterizedTest(name = "{0} threads={1}")
    @CsvSource({"DOT, 2", "L2, 2", "COSINE, 2", "COSINE, 1"})
    void recallAt10IsHighAndScoresAreTheMetrics(Metric metric, int threads) {
        Random r = new Random(3);
        int n = 12_000;
        int d = 24;
        int nq = 200;
        float[] x = GaussianMixture.sample(r, n, d, 30, 0.5);
        int[] self = new int[nq];
        float[] q = new float[nq * d];
        for (int i = 0; i < nq; i++) {
            self[i] = r.nextInt(n);
            System.arraycopy(x, self[i] * d, q, i * d, d);
        }
        HnswIndex approx = HnswIndex.build(x, n, d, metric, threads);
        Neighbours exact = new ExactKnn(x, n, d, metric, new OpenBlasBackend(), 2).search(q, nq, 10, self);
        Neighbours got = approx.search(q, nq, 10, self);
        double recall = got.recallAgainst(exact);
        assertTrue(recall >= 0.95, metric + " recall@10 " + recall);
        for (int i = 0; i < nq; i++) {
            assertEquals(10, got.count(i));
            for (int j = 0; j < 10; j++) {
                assertTrue(got.row(i, j) != self[i], "the query's own row is excluded");
                assertEquals(metric.score(q, i * d, x, got.row(i, j) * d, d), got.score(i, j), 1e-3);
                if (j > 0) {
                    assertTrue(got.score(i, j - 1) >= got.score(i, j), "best first");
                }
            }
        }
        // A narrow beam finds less than a wide one: the parameter reaches the search.
        assertTrue(approx.withEf(10).search(q, nq, 10, self).recallAgainst(exact) <= recall);
    }

    @ParameterizedTest
    @CsvSource({"DOT", "L2"})
    void tinySetsAndKBeyondTheRows(Metric metric) {
        float[] x = {1, 0, 0, 1, 1, 1};
        HnswIndex index = HnswIndex.build(x, 3, 2, metric, 1);
        Neighbours got = index.search(new float[] {1, 0}, 1, 10, new int[] {0});
        assertEquals(2, got.count(0));
        Neighbours exact = new ExactKnn(x, 3, 2, metric, new OpenBlasBackend(), 1)
                .search(new float[] {1, 0}, 1, 10, new int[] {0});
        assertEquals(exact.row(0, 0), got.row(0, 0));
        assertEquals(exact.row(0, 1), got.row(0, 1));
    }
}
