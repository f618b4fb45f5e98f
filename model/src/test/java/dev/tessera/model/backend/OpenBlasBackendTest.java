package dev.tessera.model.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenBLAS, in place and staged, computes the plain-Java backend's products, including accumulation and
 * oversized arrays.
 */
class OpenBlasBackendTest {
    /**
     * Where the build compiled the in-place library (it does wherever a C compiler is installed, as in CI),
     * it loads and finds OpenBLAS: products must not fall back to copies.
     */
    @Test
    void productsRunInPlaceWhereTheLibraryWasBuilt() {
        assumeTrue(InPlaceSgemm.class.getResource(InPlaceSgemm.LIBRARY) != null, "built without a C compiler");
        assertTrue(
                new OpenBlasBackend().inPlace(),
                () -> "in-place SGEMM unavailable: " + InPlaceSgemm.unavailableReason());
    }

    /** An array too short for its shape is refused before native code could run past its end. */
    @Test
    void inPlaceProductsRefuseArraysTooShortForTheirShape() {
        assumeTrue(InPlaceSgemm.available(), "in-place SGEMM unavailable");
        DenseBackend blas = new OpenBlasBackend(true);
        float[] a = new float[6];
        float[] out = new float[4];
        assertThrows(IllegalArgumentException.class, () -> blas.abT(a, new float[5], out, 2, 2, 3, false));
        assertThrows(IllegalArgumentException.class, () -> blas.abT(a, new float[6], new float[3], 2, 2, 3, false));
    }

    @ParameterizedTest(name = "in place: {0}")
    @ValueSource(booleans = {true, false})
    void matchesThePlainJavaBackend(boolean inPlace) {
        Random r = new Random(9);
        int n = 13;
        int m = 37;
        int d = 20;
        float[] a = rnd(r, n * d + 5);
        float[] b = rnd(r, m * d + 3);
        float[] s = rnd(r, n * m);
        assumeTrue(!inPlace || InPlaceSgemm.available(), "in-place SGEMM unavailable");
        DenseBackend blas = new OpenBlasBackend(inPlace);
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
