package dev.tessera.trainer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** OpenBLAS and the plain-Java backend compute the same products, including accumulation and oversized arrays. */
class OpenBlasBackendTest {
    @Test
    void matchesThePlainJavaBackend() {
        Random r = new Random(9);
        int n = 13;
        int m = 37;
        int d = 20;
        float[] a = rnd(r, n * d + 5);
        float[] b = rnd(r, m * d + 3);
        float[] s = rnd(r, n * m);
        DenseBackend blas = new OpenBlasBackend();
        DenseBackend java = new JavaBackend();
        for (boolean acc : new boolean[] {false, true}) {
            float[] start = rnd(r, n * m);
            float[] x = start.clone();
            float[] y = start.clone();
            blas.abT(a, b, x, n, m, d, acc);
            java.abT(a, b, y, n, m, d, acc);
            close(x, y, "abT");
            float[] startD = rnd(r, n * d);
            x = startD.clone();
            y = startD.clone();
            blas.ab(s, b, x, n, m, d, acc);
            java.ab(s, b, y, n, m, d, acc);
            close(x, y, "ab");
            float[] startM = rnd(r, m * d);
            x = startM.clone();
            y = startM.clone();
            blas.aTb(s, a, x, n, m, d, acc);
            java.aTb(s, a, y, n, m, d, acc);
            close(x, y, "aTb");
        }
        float[] startD = rnd(r, n * d);
        float[] daBlas = startD.clone();
        float[] daJava = startD.clone();
        float[] dbBlas = rnd(r, m * d);
        float[] dbJava = new float[m * d];
        blas.gradients(s, a, b, daBlas, dbBlas, n, m, d);
        java.gradients(s, a, b, daJava, dbJava, n, m, d);
        close(daBlas, daJava, "gradients da (added to)");
        close(dbBlas, dbJava, "gradients db (overwritten)");
    }

    private static void close(float[] x, float[] y, String what) {
        for (int i = 0; i < x.length; i++) {
            assertEquals(y[i], x[i], 1e-3, what + "[" + i + "]");
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
