package dev.tessera.model.backend;

/**
 * The dense products the trainer needs, on row-major {@code float[]} matrices: the narrow interface a CPU
 * or CUDA implementation fills in (DESIGN.md §8). No library types cross it, so a GPU process can run
 * without ND4J. Each method either overwrites {@code out} or, with {@code accumulate}, adds to it.
 */
public interface DenseBackend {
    /** {@code out[n×m] = a[n×d] · b[m×d]ᵀ}: every row of a against every row of b (scores of a chunk). */
    void abT(float[] a, float[] b, float[] out, int n, int m, int d, boolean accumulate);

    /** {@code out[n×d] = s[n×m] · b[m×d]} (gradient of abT with respect to a). */
    void ab(float[] s, float[] b, float[] out, int n, int m, int d, boolean accumulate);

    /** {@code out[m×d] = s[n×m]ᵀ · a[n×d]} (gradient of abT with respect to b). */
    void aTb(float[] s, float[] a, float[] out, int n, int m, int d, boolean accumulate);

    /**
     * The most multiply-adds one product may take before the implementation copies its operands (a caller that
     * can cut its products smaller then should); unbounded by default.
     */
    default long largestCopyFreeProduct() {
        return Long.MAX_VALUE;
    }

    /**
     * Both gradients of {@code scores = a·bᵀ} given {@code s = ∂L/∂scores}: {@code da[n×d] += s·b} and
     * {@code db[m×d] = sᵀ·a} (overwritten). One call so an implementation can move each operand once.
     */
    default void gradients(float[] s, float[] a, float[] b, float[] da, float[] db, int n, int m, int d) {
        ab(s, b, da, n, m, d, true);
        aTb(s, a, db, n, m, d, false);
    }
}
