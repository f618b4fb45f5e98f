package dev.tessera.nd4j;

import dev.tessera.model.backend.DenseBackend;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The products as ND4J matrix multiplications, for JVM users who run ND4J or DL4J beside Tessera. ND4J's arrays
 * live off the Java heap, so each call copies its operands into native buffers that each thread keeps (only the
 * used part, one bulk copy each), multiplies views of them with {@link Nd4j#gemm} and copies the product back.
 * Single-threaded per call, like {@link dev.tessera.model.backend.OpenBlasBackend}: the trainer's Hogwild workers
 * already use every core, one product each.
 */
public final class Nd4jBackend implements DenseBackend {
    /** Native operand buffers per thread, grown on demand and kept for the thread's life. */
    private final ThreadLocal<Staging> staging = ThreadLocal.withInitial(Staging::new);

    public Nd4jBackend() {
        Nd4j.factory().blas().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }

    @Override
    public void abT(float[] a, float[] b, float[] out, int n, int m, int d, boolean accumulate) {
        product(a, n, d, false, b, m, d, true, out, n, m, accumulate);
    }

    @Override
    public void ab(float[] s, float[] b, float[] out, int n, int m, int d, boolean accumulate) {
        product(s, n, m, false, b, m, d, false, out, n, d, accumulate);
    }

    @Override
    public void aTb(float[] s, float[] a, float[] out, int n, int m, int d, boolean accumulate) {
        product(s, n, m, true, a, n, d, false, out, m, d, accumulate);
    }

    /** {@code out[rows×cols] (+)= op(x)·op(y)}, x stored {@code xr×xc} and y {@code yr×yc}, all row-major. */
    private void product(
            float[] x,
            int xr,
            int xc,
            boolean transX,
            float[] y,
            int yr,
            int yc,
            boolean transY,
            float[] out,
            int rows,
            int cols,
            boolean accumulate) {
        Staging st = staging.get();
        INDArray xs = st.x.load(x, xr, xc);
        INDArray ys = st.y.load(y, yr, yc);
        INDArray c = accumulate ? st.out.load(out, rows, cols) : st.out.view(rows, cols);
        Nd4j.gemm(xs, ys, c, transX, transY, 1.0, accumulate ? 1.0 : 0.0);
        st.out.store(out, rows * cols);
    }

    /** A growable native float buffer and row-major views of its start. */
    private static final class NativeMatrix {
        private INDArray whole = Nd4j.createUninitializedDetached(DataType.FLOAT, 1);
        private FloatPointer floats = new FloatPointer(whole.data().addressPointer());

        INDArray load(float[] values, int rows, int cols) {
            INDArray v = view(rows, cols);
            floats.position(0).put(values, 0, rows * cols);
            return v;
        }

        INDArray view(int rows, int cols) {
            long size = (long) rows * cols;
            if (whole.length() < size) {
                whole = Nd4j.createUninitializedDetached(DataType.FLOAT, Math.max(size, whole.length() * 2));
                floats = new FloatPointer(whole.data().addressPointer());
            }
            return Nd4j.create(whole.data(), new long[] {rows, cols}, new long[] {cols, 1}, 0, 'c', DataType.FLOAT);
        }

        void store(float[] values, int length) {
            floats.position(0).get(values, 0, length);
        }
    }

    private static final class Staging {
        final NativeMatrix x = new NativeMatrix();
        final NativeMatrix y = new NativeMatrix();
        final NativeMatrix out = new NativeMatrix();
    }
}
