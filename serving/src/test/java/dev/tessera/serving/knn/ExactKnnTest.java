package dev.tessera.serving.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.model.backend.DenseBackend;
import dev.tessera.model.backend.JavaBackend;
import dev.tessera.model.backend.OpenBlasBackend;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Blocked exact search against brute force: several candidate blocks, one query and several query blocks,
 * one and three threads (candidate shards), ties between repeated rows, excluded rows, k beyond the rows.
 */
class ExactKnnTest {
    @ParameterizedTest(name = "{0} n={1} queries={2} threads={3} blas={4}")
    @CsvSource({
        "DOT, 5000, 1, 3, true",
        "DOT, 5000, 600, 1, true",
        "L2, 5000, 1, 3, true",
        "L2, 4500, 300, 2, false",
        "COSINE, 5000, 1, 3, true",
        "COSINE, 2100, 300, 3, false",
        "DOT, 7, 5, 2, true",
        "L2, 1, 1, 2, true"
    })
    void matchesBruteForce(Metric metric, int n, int nq, int threads, boolean blas) {
        Random r = new Random(n * 31L + nq);
        int d = 12;
        float[] x = BruteForce.integerRows(r, n, d);
        // Queries are rows of the set (each excluding itself), the way entity neighbours are asked for.
        int[] exclude = new int[nq];
        float[] q = new float[nq * d];
        for (int i = 0; i < nq; i++) {
            exclude[i] = i % 3 == 2 ? -1 : r.nextInt(n);
            System.arraycopy(x, (exclude[i] < 0 ? r.nextInt(n) : exclude[i]) * d, q, i * d, d);
        }
        DenseBackend backend = blas ? new OpenBlasBackend() : new JavaBackend();
        ExactKnn index = new ExactKnn(x, n, d, metric, backend, threads);
        for (int k : new int[] {1, 10, n + 3}) {
            Neighbours got = index.search(q, nq, k, exclude);
            for (int i = 0; i < nq; i++) {
                List<BruteForce.Hit> want = BruteForce.nearest(x, n, d, metric, q, i, k, exclude[i]);
                assertEquals(want.size(), got.count(i), "query " + i + " k=" + k);
                Set<Integer> seen = new HashSet<>();
                for (int j = 0; j < want.size(); j++) {
                    int row = got.row(i, j);
                    assertTrue(seen.add(row), "row listed twice: " + row);
                    assertTrue(row != exclude[i], "excluded row returned");
                    assertEquals(want.get(j).score(), got.score(i, j), 1e-4, "rank " + j + " of query " + i);
                    assertEquals(metric.score(q, i * d, x, row * d, d), got.score(i, j), 1e-4, "its own score");
                    if (metric != Metric.COSINE) {
                        // Integer rows: scores are exact, so ties break by row exactly as the reference does.
                        assertEquals(want.get(j).row(), row, "rank " + j + " of query " + i + " k=" + k);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"DOT", "L2", "COSINE"})
    void realValuedRowsRankAsTheReference(Metric metric) {
        Random r = new Random(5);
        int n = 3000;
        int d = 20;
        float[] x = GaussianMixture.sample(r, n, d, 8, 0.3);
        Neighbours got = new ExactKnn(x, n, d, metric, new OpenBlasBackend(), 2).search(x, 50, 10, null);
        for (int i = 0; i < 50; i++) {
            List<BruteForce.Hit> want = BruteForce.nearest(x, n, d, metric, x, i, 10, -1);
            for (int j = 0; j < 10; j++) {
                assertEquals(
                        want.get(j).score(),
                        got.score(i, j),
                        1e-3 * Math.max(1, Math.abs(want.get(j).score())));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0", "-1"})
    void refusesNonPositiveK(int k) {
        ExactKnn index = new ExactKnn(new float[4], 2, 2, Metric.DOT, new JavaBackend(), 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> index.search(new float[2], 1, k, null))
                .getMessage()
                .contains("k must be positive"));
    }
}
