package dev.tessera.model.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;

/**
 * OpenBLAS's SGEMM on the Java arrays themselves, through a small JNI library built with the trainer
 * ({@code src/main/c}): the JVM pins the arrays for the call (JNI critical regions), so nothing is copied.
 * Row-major, {@code alpha = 1}. Unavailable where the library was not built (no C compiler) or does not
 * load; {@link OpenBlasBackend} then stages operands through native buffers.
 *
 * <p>While a thread is inside a product the JVM defers garbage collection, so {@link OpenBlasBackend} sends
 * only products of about a millisecond here. JDK 17 may also throw OutOfMemoryError at an allocation that
 * waited on such regions more than {@code GCLockerRetryAllocationCount} times (JDK-8192647), so the
 * launchers and the tests raise that count (the pom's tessera.jvm.flags).
 * {@code -Dtessera.blas.inPlace=false} turns this path off.
 */
final class InPlaceSgemm {
    /** The JNI library, a resource beside this class. */
    static final String LIBRARY = "libtessera_sgemm.so";
    /** Address of the cblas_sgemm JavaCPP loaded, or 0 when this path is unavailable. */
    private static final long SGEMM;
    /** Why the path is unavailable (null when it is available). */
    private static final String UNAVAILABLE;

    static {
        long address = 0;
        String why = null;
        try {
            if (!Boolean.parseBoolean(System.getProperty("tessera.blas.inPlace", "true"))) {
                why = "turned off by -Dtessera.blas.inPlace=false";
            } else if (InPlaceSgemm.class.getResource(LIBRARY) == null) {
                why = LIBRARY + " was not built (no C compiler when the trainer was built)";
            } else {
                Loader.load(openblas.class);
                Pointer sgemm = Loader.addressof("cblas_sgemm");
                if (sgemm == null || sgemm.isNull()) {
                    why = "cblas_sgemm not found among the libraries JavaCPP loaded";
                } else {
                    loadLibrary();
                    address = sgemm.address();
                }
            }
        } catch (IOException | LinkageError e) {
            why = "cannot load " + LIBRARY + ": " + e;
        }
        SGEMM = address;
        UNAVAILABLE = why;
    }

    private InPlaceSgemm() {}

    static boolean available() {
        return SGEMM != 0;
    }

    /** Why {@link #available} is false; null when it is true. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** A shared library cannot load from inside a jar: a private copy that is deleted once loaded. */
    private static void loadLibrary() throws IOException {
        Path copy = Files.createTempFile("tessera_sgemm", ".so");
        try (InputStream in = InPlaceSgemm.class.getResourceAsStream(LIBRARY)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            System.load(copy.toString());
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /**
     * {@code c[m×n] = op(a)·op(b) + beta·c}, where {@code op(a)} is {@code a[m×k]} (row stride lda) or, with
     * transA, the transpose of {@code a[k×m]}; likewise {@code op(b)} from {@code b[k×n]} or {@code b[n×k]}.
     * Checks every array's length first: native code past an array's end would corrupt the heap.
     */
    static void multiply(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float[] a,
            int lda,
            float[] b,
            int ldb,
            float beta,
            float[] c,
            int ldc) {
        if (SGEMM == 0) {
            throw new IllegalStateException("in-place SGEMM is unavailable: " + UNAVAILABLE);
        }
        requireLength(a, transA ? k : m, transA ? m : k, lda, "a");
        requireLength(b, transB ? n : k, transB ? k : n, ldb, "b");
        requireLength(c, m, n, ldc, "c");
        sgemm(SGEMM, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    private static void requireLength(float[] x, int rows, int cols, int stride, String name) {
        if (rows > 0 && cols > 0 && (stride < cols || x.length < (long) (rows - 1) * stride + cols)) {
            throw new IllegalArgumentException(name + ": " + rows + "×" + cols + " with row stride " + stride
                    + " does not fit an array of " + x.length);
        }
    }

    private static native void sgemm(
            long sgemm,
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float[] a,
            int lda,
            float[] b,
            int ldb,
            float beta,
            float[] c,
            int ldc);
}
