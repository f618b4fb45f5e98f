package dev.tessera.model;

import dev.tessera.core.config.ComparatorName;
import dev.tessera.model.backend.DenseBackend;

/**
 * PBG's {@code bias: true}: the first element of every (transformed) embedding is a bias term, and the
 * score is the base comparator on the other d-1 elements plus both biases:
 * {@code score(a, b) = base(a[1:], b[1:]) + a[0] + b[0]}. Rows are split into packed (d-1)-wide copies for
 * the base comparator (linear in the rows, small next to the n×m×d products). Holds scratch buffers, so an
 * instance serves one thread, as each trainer worker and evaluator creates its own.
 */
final class BiasedComparator implements Comparator {
    private final Comparator base;
    private float[] subA = new float[0];
    private float[] subB = new float[0];
    private float[] subDa = new float[0];
    private float[] subDb = new float[0];
    private float[] baseScores = new float[0];

    BiasedComparator(Comparator base) {
        this.base = base;
    }

    @Override
    public ComparatorName name() {
        return base.name();
    }

    @Override
    public boolean transformsRows() {
        return base.transformsRows();
    }

    @Override
    public void prepare(float[] x, float[] out, int n, int d) {
        subA = split(x, n, d, subA);
        subB = grow(subB, n * (d - 1));
        base.prepare(subA, subB, n, d - 1);
        join(x, subB, out, n, d);
    }

    @Override
    public void prepareBackward(float[] x, float[] dOut, float[] dx, int n, int d) {
        subA = split(x, n, d, subA);
        subB = split(dOut, n, d, subB);
        subDa = grow(subDa, n * (d - 1));
        base.prepareBackward(subA, subB, subDa, n, d - 1);
        join(dOut, subDa, dx, n, d);
    }

    @Override
    public void pairs(float[] a, float[] b, float[] out, int n, int d) {
        subA = split(a, n, d, subA);
        subB = split(b, n, d, subB);
        base.pairs(subA, subB, out, n, d - 1);
        for (int i = 0; i < n; i++) {
            out[i] += a[i * d] + b[i * d];
        }
    }

    @Override
    public void pairsBackward(float[] a, float[] b, float[] dOut, float[] da, float[] db, int n, int d) {
        subA = split(a, n, d, subA);
        subB = split(b, n, d, subB);
        subDa = split(da, n, d, subDa);
        subDb = split(db, n, d, subDb);
        base.pairsBackward(subA, subB, dOut, subDa, subDb, n, d - 1);
        join(da, subDa, da, n, d);
        join(db, subDb, db, n, d);
        for (int i = 0; i < n; i++) {
            da[i * d] += dOut[i];
            db[i * d] += dOut[i];
        }
    }

    @Override
    public void all(DenseBackend backend, float[] a, float[] b, float[] out, int n, int m, int d) {
        subA = split(a, n, d, subA);
        subB = split(b, m, d, subB);
        base.all(backend, subA, subB, out, n, m, d - 1);
        for (int i = 0; i < n; i++) {
            float ai = a[i * d];
            for (int j = 0; j < m; j++) {
                out[i * m + j] += ai + b[j * d];
            }
        }
    }

    @Override
    public void allBackward(
            DenseBackend backend,
            float[] a,
            float[] b,
            float[] scores,
            float[] dOut,
            float[] da,
            float[] db,
            int n,
            int m,
            int d) {
        subA = split(a, n, d, subA);
        subB = split(b, m, d, subB);
        subDa = split(da, n, d, subDa);
        subDb = grow(subDb, m * (d - 1));
        baseScores = grow(baseScores, n * m);
        for (int i = 0; i < n; i++) {
            float ai = a[i * d];
            for (int j = 0; j < m; j++) {
                baseScores[i * m + j] = scores[i * m + j] - ai - b[j * d];
            }
        }
        base.allBackward(backend, subA, subB, baseScores, dOut, subDa, subDb, n, m, d - 1);
        join(da, subDa, da, n, d);
        for (int j = 0; j < m; j++) {
            System.arraycopy(subDb, j * (d - 1), db, j * d + 1, d - 1);
            db[j * d] = 0;
        }
        for (int i = 0; i < n; i++) {
            float rowSum = 0;
            for (int j = 0; j < m; j++) {
                float g = dOut[i * m + j];
                rowSum += g;
                db[j * d] += g;
            }
            da[i * d] += rowSum;
        }
    }

    /** Elements 1..d-1 of each of n rows, packed into {@code into} (grown if too small). */
    private static float[] split(float[] x, int n, int d, float[] into) {
        float[] out = grow(into, n * (d - 1));
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d + 1, out, i * (d - 1), d - 1);
        }
        return out;
    }

    /** {@code out[i] = (first[i][0], packed[i])} for n rows; {@code out} may be {@code first}. */
    private static void join(float[] first, float[] packed, float[] out, int n, int d) {
        for (int i = 0; i < n; i++) {
            out[i * d] = first[i * d];
            System.arraycopy(packed, i * (d - 1), out, i * d + 1, d - 1);
        }
    }

    private static float[] grow(float[] x, int size) {
        return x.length >= size ? x : new float[size];
    }
}
