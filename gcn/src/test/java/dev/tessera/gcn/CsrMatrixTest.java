package dev.tessera.gcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.core.util.IntList;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsrMatrixTest {

    /** Random COO entries with duplicates and with some rows (and columns) left empty on purpose. */
    private static CsrMatrix random(Random r, int rows, int cols, int entries, float[] denseOut) {
        int[] ri = new int[entries];
        int[] ci = new int[entries];
        float[] v = new float[entries];
        for (int i = 0; i < entries; i++) {
            int row = r.nextInt(rows);
            ri[i] = row % 7 == 3 ? (row + 1) % rows : row; // rows ≡ 3 (mod 7) stay empty unless wrapped into
            ci[i] = i % 5 == 0 && i > 0 ? ci[i - 1] : r.nextInt(cols); // repeats a column: duplicates when rows match
            if (i % 5 == 0 && i > 0) {
                ri[i] = ri[i - 1];
            }
            v[i] = (float) r.nextGaussian();
            denseOut[ri[i] * cols + ci[i]] += v[i];
        }
        return CsrMatrix.fromCoordinates(rows, cols, ri, ci, v);
    }

    private static float[] denseProduct(float[] a, int n, int m, float[] b, int k) {
        float[] out = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                for (int c = 0; c < k; c++) {
                    out[i * k + c] += a[i * m + j] * b[j * k + c];
                }
            }
        }
        return out;
    }

    private static float[] transposed(float[] a, int n, int m) {
        float[] t = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                t[j * n + i] = a[i * m + j];
            }
        }
        return t;
    }

    @Test
    void productsMatchDenseReferenceWithEmptyRowsAndDuplicates() {
        Random r = new Random(7);
        // Small, and large enough that the rows are split over several parallel tasks.
        int[][] shapes = {{13, 9, 40, 3}, {700, 300, 60_000, 17}};
        for (int[] s : shapes) {
            int rows = s[0];
            int cols = s[1];
            int k = s[3];
            float[] dense = new float[rows * cols];
            CsrMatrix a = random(r, rows, cols, s[2], dense);
            assertArrayEquals(dense, a.toDense(), 1e-5f, "duplicates must be summed");
            float[] b = new float[cols * k];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextGaussian();
            }
            float[] out = new float[rows * k];
            java.util.Arrays.fill(out, 99f); // overwritten, not added to
            a.multiply(b, k, out);
            assertArrayEquals(denseProduct(dense, rows, cols, b, k), out, 1e-3f);

            float[] g = new float[rows * k];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) r.nextGaussian();
            }
            float[] tout = new float[cols * k];
            a.transposeMultiply(g, k, tout);
            assertArrayEquals(denseProduct(transposed(dense, rows, cols), cols, rows, g, k), tout, 1e-3f);
        }
    }

    /**
     * Both kernels against the double-precision product, for every k from 1 to 70: that covers each of the
     * vector kernel's column blocks (four wide vectors, one wide vector, 128-bit, scalar tail) alone and
     * together, on rows of 0 to 40 entries (each of its entry loops' remainders) and one of 3,000.
     */
    @Test
    void everyKernelMatchesTheReferenceForEveryWidthAndRowLength() {
        Random r = new Random(11);
        int rows = 45;
        int cols = 3_100;
        IntList ri = new IntList();
        IntList ci = new IntList();
        for (int row = 0; row < rows; row++) {
            int length = row == 44 ? 3_000 : row;
            for (int e = 0; e < length; e++) {
                ri.add(row);
                ci.add(row == 44 ? e : r.nextInt(cols));
            }
        }
        float[] v = new float[ri.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        CsrMatrix a = CsrMatrix.fromCoordinates(rows, cols, ri.toArray(), ci.toArray(), v);
        SpmmKernel[] kernels = {new ScalarSpmmKernel(), new VectorSpmmKernel()};
        for (int k = 1; k <= 70; k++) {
            float[] b = new float[cols * k];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextGaussian();
            }
            float[] expected = new float[rows * k];
            for (int row = 0; row < rows; row++) {
                for (int c = 0; c < k; c++) {
                    double sum = 0;
                    for (int i = a.rowStart(row); i < a.rowEnd(row); i++) {
                        sum += (double) a.valueAt(i) * b[a.colAt(i) * k + c];
                    }
                    expected[row * k + c] = (float) sum;
                }
            }
            for (SpmmKernel kernel : kernels) {
                float[] out = new float[rows * k];
                java.util.Arrays.fill(out, 99f);
                a.multiply(b, k, out, kernel);
                assertArrayEquals(expected, out, 2e-3f, kernel + ", k = " + k);
            }
        }
    }

    /** Tests run with the Vector API module (gcn/pom.xml), so the products above use the vector kernel. */
    @Test
    void theVectorKernelIsPreferredWhereTheModuleIsPresent() {
        assertEquals(VectorSpmmKernel.class, SpmmKernel.preferred().getClass());
    }

    @Test
    void rowsAreSortedAndMergedAndEmptyRowsHaveNoEntries() {
        CsrMatrix a = CsrMatrix.fromCoordinates(
                3, 4, new int[] {2, 0, 2, 2}, new int[] {3, 1, 0, 3}, new float[] {1, 2, 3, 4});
        assertEquals(3, a.nonZeros());
        assertEquals(a.rowStart(1), a.rowEnd(1));
        assertEquals(0, a.colAt(a.rowStart(2)));
        assertEquals(3, a.colAt(a.rowStart(2) + 1));
        assertEquals(5f, a.valueAt(a.rowStart(2) + 1));
    }

    @Test
    void rowNormalizationMakesRowsSumToOne() {
        CsrMatrix a = CsrMatrix.fromCoordinates(2, 3, new int[] {0, 0, 1}, new int[] {0, 2, 1}, new float[] {1, 3, 2});
        assertArrayEquals(
                new float[] {0.25f, 0, 0.75f, 0, 1, 0}, a.rowNormalized().toDense(), 1e-6f);
    }

    @Test
    void rejectsEntriesOutsideTheMatrix() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CsrMatrix.fromCoordinates(2, 2, new int[] {2}, new int[] {0}, new float[] {1}));
    }
}
