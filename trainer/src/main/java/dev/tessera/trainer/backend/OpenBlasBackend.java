package dev.tessera.trainer.backend;

import org.bytedeco.openblas.global.openblas;

/**
 * The products as OpenBLAS SGEMM calls (through JavaCPP, on the Java arrays directly). Single-threaded per
 * call: the trainer's Hogwild workers already use every core, one product each.
 */
public final class OpenBlasBackend implements DenseBackend {
    private static final int ROW_MAJOR = openblas.CblasRowMajor;
    private static final int NO_TRANS = openblas.CblasNoTrans;
    private static final int TRANS = openblas.CblasTrans;

    public OpenBlasBackend() {
        openblas.blas_set_num_threads(1);
    }

    /** The OpenBLAS backend when its native library loads here, else the plain-Java one. */
    public static DenseBackend bestAvailable() {
        try {
            return new OpenBlasBackend();
        } catch (Throwable e) {
            System.err.println("tessera: OpenBLAS is not available (" + e + "); using the plain-Java backend");
            return new JavaBackend();
        }
    }

    @Override
    public void abT(float[] a, float[] b, float[] out, int n, int m, int d, boolean accumulate) {
        openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, n, m, d, 1f, a, d, b, d, accumulate ? 1f : 0f, out, m);
    }

    @Override
    public void ab(float[] s, float[] b, float[] out, int n, int m, int d, boolean accumulate) {
        openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n, d, m, 1f, s, m, b, d, accumulate ? 1f : 0f, out, d);
    }

    @Override
    public void aTb(float[] s, float[] a, float[] out, int n, int m, int d, boolean accumulate) {
        openblas.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, m, d, n, 1f, s, m, a, d, accumulate ? 1f : 0f, out, d);
    }
}
