package dev.tessera.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScoreRowKernel} on the Vector API: the maximum and the sum run a vector wide (the scalar loops keep
 * eight running values at best), and each exponential is summed where it is computed instead of in a second
 * pass. The exponential is {@link FastMath#expNonPositive}'s, operation for operation (multiplies and adds,
 * not fused), so every value it writes equals the scalar kernel's bit for bit; only the sum's order differs
 * (always the same order: results do not depend on the JIT).
 */
final class VectorScoreRowKernel implements ScoreRowKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    @Override
    public float max(float[] x, int o, int n, float start) {
        FloatVector m0 = FloatVector.broadcast(S, start);
        FloatVector m1 = m0;
        int j = 0;
        for (; j + 2 * W <= n; j += 2 * W) {
            m0 = m0.max(FloatVector.fromArray(S, x, o + j));
            m1 = m1.max(FloatVector.fromArray(S, x, o + j + W));
        }
        float m = m0.max(m1).reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            m = x[o + j] > m ? x[o + j] : m;
        }
        return m;
    }

    @Override
    public float expShiftedSum(float[] x, float shift, float[] out, int o, int n) {
        FloatVector sum = FloatVector.zero(S);
        int j = 0;
        for (; j + W <= n; j += W) {
            FloatVector e = exp(FloatVector.fromArray(S, x, o + j).sub(shift));
            e.intoArray(out, o + j);
            sum = sum.add(e);
        }
        // Lane by lane, not reduceLanes(ADD), whose order is unspecified: interpreted and compiled code sum in
        // different orders, and a run's result would depend on when the JIT got to this loop.
        float s = 0;
        for (int lane = 0; lane < W; lane++) {
            s += sum.lane(lane);
        }
        for (; j < n; j++) {
            out[o + j] = FastMath.expNonPositive(x[o + j] - shift);
            s += out[o + j];
        }
        return s;
    }

    /** {@link FastMath#expNonPositive} lane by lane, in the same order of operations. */
    private static FloatVector exp(FloatVector x) {
        FloatVector y = x.max(FastMath.MIN_ARGUMENT).mul(1f / 128).add(FastMath.CENTRE);
        FloatVector h = y.mul(1f / 5040).add(1f / 720);
        h = y.mul(h).add(1f / 120);
        h = y.mul(h).add(1f / 24);
        h = y.mul(h).add(1f / 6);
        h = y.mul(h).add(0.5f);
        h = y.mul(h).add(1f);
        h = y.mul(h).add(1f);
        FloatVector p = h.mul(FastMath.E_MINUS_CENTRE);
        for (int squaring = 0; squaring < 7; squaring++) {
            p = p.mul(p);
        }
        return p;
    }

    @Override
    public void scale(float[] x, int o, int n, float c) {
        int j = 0;
        for (; j + W <= n; j += W) {
            FloatVector.fromArray(S, x, o + j).mul(c).intoArray(x, o + j);
        }
        for (; j < n; j++) {
            x[o + j] *= c;
        }
    }

    @Override
    public String toString() {
        return S.vectorBitSize() + "-bit vectors";
    }
}
