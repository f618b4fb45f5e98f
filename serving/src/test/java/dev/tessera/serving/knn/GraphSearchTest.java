package dev.tessera.serving.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The search's unrolled similarities equal plain sums, whatever the length's remainder by four. */
class GraphSearchTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5, 17, 100})
    void unrolledLoopsMatchPlainSums(int d) {
        Random r = new Random(d);
        float[] a = new float[d];
        float[] b = new float[d];
        double dot = 0;
        double squared = 0;
        for (int i = 0; i < d; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
            dot += (double) a[i] * b[i];
            squared += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        }
        assertEquals(dot, GraphSearch.dot(a, b), 1e-5 * Math.max(1, Math.abs(dot)));
        assertEquals(squared, GraphSearch.squaredDistance(a, b), 1e-5 * Math.max(1, squared));
    }
}
