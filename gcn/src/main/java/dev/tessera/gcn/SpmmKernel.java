package dev.tessera.gcn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inner loop of a CSR × dense product: {@code out[r] = Σ values[i] · dense[colIndex[i]]} over the entries
 * {@code i} of each row {@code r} in {@code [fromRow, toRow)}, rows of {@code k} floats, output rows overwritten.
 * Two implementations compute the same sums (up to float rounding order): {@link ScalarSpmmKernel}, which the
 * JIT vectorises only for long rows of H, and {@link VectorSpmmKernel}, on the incubating Vector API, which
 * holds a row's sums in registers whatever k is. The Vector API module must be added at JVM start
 * ({@code --add-modules jdk.incubator.vector}, which {@code bin/tessera gcn} does); without it the scalar
 * kernel runs, as Lucene does with its vectorisation provider.
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
        private static final Logger LOG = LoggerFactory.getLogger(SpmmKernel.class);
        static final SpmmKernel KERNEL = choose();

        private Preferred() {}

        private static SpmmKernel choose() {
            if ("scalar".equals(System.getProperty(PROPERTY))) {
                LOG.info("SpMM: scalar kernel (-D{}=scalar)", PROPERTY);
                return new ScalarSpmmKernel();
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                LOG.info("SpMM: scalar kernel; start the JVM with --add-modules jdk.incubator.vector for the"
                        + " vectorised one (3.5-5.5x faster on graphs larger than the caches)");
                return new ScalarSpmmKernel();
            }
            try {
                // By name, so that this class links without the incubator module on the module graph.
                SpmmKernel vector = Class.forName("dev.tessera.gcn.VectorSpmmKernel")
                        .asSubclass(SpmmKernel.class)
                        .getDeclaredConstructor()
                        .newInstance();
                LOG.info("SpMM: vectorised kernel ({})", vector);
                return vector;
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warn("SpMM: the Vector API kernel failed to load, running the scalar one", e);
                return new ScalarSpmmKernel();
            }
        }
    }
}
