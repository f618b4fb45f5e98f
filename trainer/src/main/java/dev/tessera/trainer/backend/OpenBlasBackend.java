package dev.tessera.trainer.backend;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The products as OpenBLAS SGEMM calls. Operands are staged through native buffers that each thread keeps
 * (only the used part of each array is copied, with one memcpy): handing JavaCPP the Java arrays themselves
 * makes the JVM copy every array whole, both ways, into freshly allocated memory on every call, which cost
 * more than the product on the trainer's chunk shapes. Single-threaded per call: the trainer's Hogwild
 * workers already use every core, one product each.
 */
public final class OpenBlasBackend implements DenseBackend {
    private static final int ROW_MAJOR = openblas.CblasRowMajor;
    private static final int NO_TRANS = openblas.CblasNoTrans;
    private static final int TRANS = openblas.CblasTrans;

    /** Native operand buffers per thread, grown on demand and kept for the thread's life. */
    private final ThreadLocal<Staging> staging = ThreadLocal.withInitial(Staging::new);

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
        Staging st = staging.get();
        FloatPointer po = st.output(2, out, n * m, accumulate);
        openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, n, m, d, 1f, st.in(0, a, n * d), d, st.in(1, b, m * d), d,
                accumulate ? 1f : 0f, po, m);
        po.position(0).get(out, 0, n * m);
    }

    @Override
    public void ab(float[] s, float[] b, float[] out, int n, int m, int d, boolean accumulate) {
        Staging st = staging.get();
        FloatPointer po = st.output(2, out, n * d, accumulate);
        openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n, d, m, 1f, st.in(0, s, n * m), m, st.in(1, b, m * d), d,
                accumulate ? 1f : 0f, po, d);
        po.position(0).get(out, 0, n * d);
    }

    @Override
    public void aTb(float[] s, float[] a, float[] out, int n, int m, int d, boolean accumulate) {
        Staging st = staging.get();
        FloatPointer po = st.output(2, out, m * d, accumulate);
        openblas.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, m, d, n, 1f, st.in(0, s, n * m), m, st.in(1, a, n * d), d,
                accumulate ? 1f : 0f, po, d);
        po.position(0).get(out, 0, m * d);
    }

    @Override
    public void gradients(float[] s, float[] a, float[] b, float[] da, float[] db, int n, int m, int d) {
        Staging st = staging.get();
        FloatPointer ps = st.in(0, s, n * m);
        FloatPointer pda = st.output(3, da, n * d, true);
        FloatPointer pdb = st.output(4, db, m * d, false);
        openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n, d, m, 1f, ps, m, st.in(2, b, m * d), d, 1f, pda, d);
        openblas.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, m, d, n, 1f, ps, m, st.in(1, a, n * d), d, 0f, pdb, d);
        pda.position(0).get(da, 0, n * d);
        pdb.position(0).get(db, 0, m * d);
    }

    private static final class Staging {
        private final FloatPointer[] buffers = new FloatPointer[5];

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

        /** The buffer a product writes to: holding {@code values} when it adds to them, else just room. */
        FloatPointer output(int slot, float[] values, int size, boolean accumulate) {
            return accumulate ? in(slot, values, size) : buffer(slot, size);
        }
    }
}
