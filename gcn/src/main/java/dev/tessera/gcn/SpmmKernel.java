package dev.tessera.gcn;

import dev.tessera.model.VectorKernels;

/**
 * The inner loop of a CSR × dense product: {@code out[r] = Σ values[i] · dense[colIndex[i]]} over the entries
 * {@code i} of each row {@code r} in {@code [fromRow, toRow)}, rows of {@code k} floats, output rows overwritten.
 * Two implementations compute the same sums (up to float rounding order): {@link ScalarSpmmKernel}, which the
 * JIT vectorises only for long rows of H, and {@link VectorSpmmKernel}, on the incubating Vector API, which
 * holds a row's sums in registers whatever k is, chosen once per JVM by {@link VectorKernels}.
 */
public interface SpmmKernel {
    /** {@code -Dtessera.spmm=scalar} keeps the scalar kernel even where the Vector API is present. */
    String PROPERTY = "tessera.spmm";

    void multiplyRows(
            int[] rowStart, int[] colIndex, float[] values, int fromRow, int toRow, float[] dense, int k, float[] out);

    /** The fastest kernel this JVM can run, chosen once. */
    static SpmmKernel preferred() {
        return Preferred.KERNEL;
    }

    /** Lazy holder: the choice (and its log line) happens at the first product, not at class loading. */
    final class Preferred {
        static final SpmmKernel KERNEL = VectorKernels.preferred(
                SpmmKernel.class,
                "dev.tessera.gcn.VectorSpmmKernel",
                PROPERTY,
                ScalarSpmmKernel::new,
                "SpMM",
                "3.5-5.5x faster on graphs larger than the caches");

        private Preferred() {}
    }
}
