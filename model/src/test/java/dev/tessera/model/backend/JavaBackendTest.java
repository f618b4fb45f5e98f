package dev.tessera.model.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class JavaBackendTest {
    @Test
    void productsMatchATripleLoop() {
        Random r = new Random(3);
        int n = 7;
        int m = 5;
        int d = 11;
        float[] a = rnd(r, n * d);
        float[] b = rnd(r, m * d);
        float[] s = rnd(r, n * m);
        JavaBackend be = new JavaBackend();
        float[] abT = new float[n * m];
        be.abT(a, b, abT, n, m, d, false);
        float[] ab = rnd(r, n * d);
        float[] abStart = ab.clone();
        be.ab(s, b, ab, n, m, d, true);
        float[] aTb = new float[m * d];
        be.aTb(s, a, aTb, n, m, d, false);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double ref = 0;
                for (int k = 0; k < d; k++) {
                    ref += a[i * d + k] * b[j * d + k];
                }
                assertEquals(ref, abT[i * m + j], 1e-4);
            }
            for (int k = 0; k < d; k++) {
                double ref = abStart[i * d + k];
                for (int j = 0; j < m; j++) {
                    ref += s[i * m + j] * b[j * d + k];
                }
                assertEquals(ref, ab[i * d + k], 1e-4, "ab accumulates");
            }
        }
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < d; k++) {
                double ref = 0;
                for (int i = 0; i < n; i++) {
                    ref += s[i * m + j] * a[i * d + k];
                }
                assertEquals(ref, aTb[j * d + k], 1e-4);
            }
        }
    }

    private static float[] rnd(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
