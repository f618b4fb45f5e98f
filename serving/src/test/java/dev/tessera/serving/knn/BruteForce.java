package dev.tessera.serving.knn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** The reference the k-NN tests compare with: every pair scored in double precision, sorted, cut at k. */
final class BruteForce {
    record Hit(int row, double score) {}

    private BruteForce() {}

    static List<Hit> nearest(float[] x, int n, int d, Metric metric, float[] q, int qi, int k, int exclude) {
        List<Hit> all = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (j != exclude) {
                all.add(new Hit(j, metric.score(q, qi * d, x, j * d, d)));
            }
        }
        all.sort(Comparator.comparingDouble((Hit h) -> -h.score).thenComparingInt(h -> h.row));
        return all.subList(0, Math.min(k, all.size()));
    }

    /** Small integers, so every product is exact in float and equal scores really tie; some rows repeated. */
    static float[] integerRows(Random r, int n, int d) {
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            if (i > 0 && r.nextInt(10) == 0) {
                System.arraycopy(x, r.nextInt(i) * d, x, i * d, d);
            } else {
                for (int k = 0; k < d; k++) {
                    x[i * d + k] = r.nextInt(7) - 3;
                }
            }
        }
        return x;
    }
}
