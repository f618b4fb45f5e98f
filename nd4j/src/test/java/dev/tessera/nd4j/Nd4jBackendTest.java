package dev.tessera.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.BackendName;
import dev.tessera.model.backend.Backends;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.model.backend.OpenBlasBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ND4J computes OpenBLAS's products to 1e-5 relative, on the trainer's and GCN's shapes and from many threads. */
class Nd4jBackendTest {
    private static final DenseBackend ND4J = new Nd4jBackend();
    private static final DenseBackend BLAS = new OpenBlasBackend();

    @Test
    void configSelectsItThroughTheServiceLoader() {
        assertInstanceOf(Nd4jBackend.class, Backends.create(BackendName.ND4J));
    }

    @ParameterizedTest(name = "{0}×{1}×{2}")
    @CsvSource({"13,37,20", "50,1050,100", "1,1,1", "300,7,64"})
    void matchesOpenBlas(int n, int m, int d) {
        Random r = new Random(n * 31L + m);
        // Longer than their shapes, as the trainer's reused arrays are: only the used part may count.
        float[] a = rnd(r, n * d + 5);
        float[] b = rnd(r, m * d + 3);
        float[] s = rnd(r, n * m);
        for (boolean acc : new boolean[] {false, true}) {
            compare(rnd(r, n * m + 2), (be, out) -> be.abT(a, b, out, n, m, d, acc), "abT");
            compare(rnd(r, n * d), (be, out) -> be.ab(s, b, out, n, m, d, acc), "ab");
            compare(rnd(r, m * d), (be, out) -> be.aTb(s, a, out, n, m, d, acc), "aTb");
        }
    }

    /** Hogwild workers call one backend from many threads: each keeps its own native operands. */
    @Test
    void concurrentCallersGetTheirOwnProducts() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        Random r = new Random(seed * 1000L + i);
                        int n = 1 + r.nextInt(60);
                        int m = 1 + r.nextInt(200);
                        int d = 1 + r.nextInt(100);
                        float[] a = rnd(r, n * d);
                        float[] b = rnd(r, m * d);
                        compare(new float[n * m], (be, out) -> be.abT(a, b, out, n, m, d, false), "abT");
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private interface Product {
        void into(DenseBackend backend, float[] out);
    }

    private static void compare(float[] start, Product product, String what) {
        float[] expected = start.clone();
        float[] actual = start.clone();
        product.into(BLAS, expected);
        product.into(ND4J, actual);
        boolean anyNonZero = false;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
            anyNonZero |= actual[i] != 0;
        }
        assertTrue(anyNonZero, what + " wrote nothing");
    }

    private static float[] rnd(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
