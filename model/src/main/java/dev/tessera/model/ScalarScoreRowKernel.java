package dev.tessera.model;

/** {@link ScoreRowKernel} in plain Java: the exponentials vectorise under the JIT, the reductions do not. */
public final class ScalarScoreRowKernel implements ScoreRowKernel {
    @Override
    public float max(float[] x, int o, int n, float start) {
        return FastMath.max(x, o, n, start);
    }

    @Override
    public float expShiftedSum(float[] x, float shift, float[] out, int o, int n) {
        FastMath.expShifted(x, shift, out, o, n);
        return FastMath.sum(out, o, n);
    }

    @Override
    public void scale(float[] x, int o, int n, float c) {
        for (int j = o; j < o + n; j++) {
            x[j] *= c;
        }
    }

    @Override
    public String toString() {
        return "scalar";
    }
}
