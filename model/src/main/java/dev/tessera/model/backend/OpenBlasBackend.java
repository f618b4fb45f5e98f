package dev.tessera.model.backend;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The products as OpenBLAS SGEMM calls, single-threaded per call: the trainer's Hogwild workers already
 * use every core, one product each. OpenBLAS works on the Java arrays in place ({@link InPlaceSgemm}) where
 * the trainer's JNI library is available and the product is small. Otherwise operands are staged through
 * native buffers that each thread keeps (only the used part of each array is copied, with one memcpy):
 * handing JavaCPP the Java arrays themselves makes the JVM copy every array whole, both ways, into freshly
 * allocated memory on every call, which cost more than the product on the trainer's chunk shapes.
 */
public final class OpenBlasBackend implements DenseBackend {
    private static final Logger LOG = LoggerFactory.getLogger(OpenBlasBackend.class);
    /**
     * Products up to this many multiply-adds run in place: about 10 ms on one core, the longest a product may
     * hold off garbage collection (see {@link InPlaceSgemm}). Larger ones (evaluation blocks, k-NN) are staged.
     * Training's chunk products are 5M-21M; 1_vs_all sizes its blocks to stay below this, because staging its
     * products (every entity's rows in, a block's scores in and out) cost a fifth of its time on WN18RR.
     */
    static final long IN_PLACE_MAX_MULTIPLY_ADDS = 1L << 30;

    private final boolean inPlace;
    /** Native operand buffers per thread, grown on demand and kept for the thread's life. */
    private final ThreadLocal<Staging> staging = ThreadLocal.withInitial(Staging::new);

    /** In place where available, else staged. */
    public OpenBlasBackend() {
        this(InPlaceSgemm.available());
    }

    /**
     * @param inPlace whether OpenBLAS works on the arrays in place (throws where that is unavailable) or on
     *                staged copies; for comparing the two
     */
    public OpenBlasBackend(boolean inPlace) {
        openblas.blas_set_num_threads(1);
        if (inPlace && !InPlaceSgemm.available()) {
            throw new IllegalStateException("in-place SGEMM is unavailable: " + InPlaceSgemm.unavailableReason());
        }
        this.inPlace = inPlace;
    }

    /** The OpenBLAS backend when its native library loads here, else the plain-Java one. */
    public static DenseBackend bestAvailable() {
        try {
            return new OpenBlasBackend();
        } catch (Throwable e) {
            LOG.warn("OpenBLAS is not available ({}); using the plain-Java backend", e.toString());
            return new JavaBackend();
        }
    }

    @Override
    public long largestCopyFreeProduct() {
        return inPlace ? IN_PLACE_MAX_MULTIPLY_ADDS : Long.MAX_VALUE;
    }

    /** Whether products run on the arrays in place rather than on copies. */
    public boolean inPlace() {
        return inPlace;
    }

    @Override
    public void abT(float[] a, float[] b, float[] out, int n, int m, int d, boolean accumulate) {
        product(false, true, n, m, d, a, d, b, d, accumulate, out, m);
    }

    @Override
    public void ab(float[] s, float[] b, float[] out, int n, int m, int d, boolean accumulate) {
        product(false, false, n, d, m, s, m, b, d, accumulate, out, d);
    }

    @Override
    public void aTb(float[] s, float[] a, float[] out, int n, int m, int d, boolean accumulate) {
        product(true, false, m, d, n, s, m, a, d, accumulate, out, d);
    }

    /** {@code c[rows×cols] (+)= op(a)·op(b)} over the inner dimension k; see {@link InPlaceSgemm#multiply}. */
    private void product(
            boolean transA,
            boolean transB,
            int rows,
            int cols,
            int k,
            float[] a,
            int lda,
            float[] b,
            int ldb,
            boolean accumulate,
            float[] c,
            int ldc) {
        float beta = accumulate ? 1f : 0f;
        if (inPlace && (long) rows * cols * k <= IN_PLACE_MAX_MULTIPLY_ADDS) {
            InPlaceSgemm.multiply(transA, transB, rows, cols, k, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        Staging st = staging.get();
        int cSize = rows * ldc;
        FloatPointer pc = accumulate ? st.in(2, c, cSize) : st.buffer(2, cSize);
        openblas.cblas_sgemm(
                openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                rows,
                cols,
                k,
                1f,
                st.in(0, a, (transA ? k : rows) * lda),
                lda,
                st.in(1, b, (transB ? cols : k) * ldb),
                ldb,
                beta,
                pc,
                ldc);
        pc.position(0).get(c, 0, cSize);
    }

    private static final class Staging {
        private final FloatPointer[] buffers = new FloatPointer[3];

        FloatPointer buffer(int slot, int size) {
            FloatPointer p = buffers[slot];
            if (p == null || p.capacity() < size) {
                if (p != null) {
                    p.close();
                }
                p = new FloatPointer(Math.max(size, 1));
                buffers[slot] = p;
            }
            return p.position(0);
        }

        FloatPointer in(int slot, float[] values, int size) {
            FloatPointer p = buffer(slot, size);
            p.put(values, 0, size);
            return p.position(0);
        }
    }
}
