package dev.tessera.model;

import dev.tessera.core.config.ComparatorName;
import dev.tessera.model.backend.DenseBackend;

/**
 * Scores a left-hand embedding against a transformed right-hand one (PBG's comparators). Embeddings are
 * first {@link #prepare}d (cos normalises rows); scores of matching rows come from {@link #pairs}, scores
 * of every row against every candidate from {@link #all}, which is one GEMM plus row terms.
 */
public interface Comparator {
    ComparatorName name();

    /**
     * Whether {@link #prepare} changes rows (cos normalises them); when it does not, callers skip it and its
     * backward and use the rows as they are.
     */
    boolean transformsRows();

    /** {@code out = prepared(x)} for n rows of d. */
    void prepare(float[] x, float[] out, int n, int d);

    /** Overwrites {@code dx} with the gradient through {@link #prepare}, given {@code dOut}. */
    void prepareBackward(float[] x, float[] dOut, float[] dx, int n, int d);

    /** {@code out[i] = score(a_i, b_i)}. */
    void pairs(float[] a, float[] b, float[] out, int n, int d);

    /** Adds the gradients of {@code Σ dOut[i]·score(a_i, b_i)} to {@code da} and {@code db}. */
    void pairsBackward(float[] a, float[] b, float[] dOut, float[] da, float[] db, int n, int d);

    /** {@code out[i·m + j] = score(a_i, b_j)}. */
    void all(DenseBackend backend, float[] a, float[] b, float[] out, int n, int m, int d);

    /**
     * Adds the gradient of {@code Σ dOut[i·m+j]·score(a_i, b_j)} with respect to a to {@code da} and writes
     * the one with respect to b to {@code db} (overwriting it: it is the candidates' only gradient), given the
     * {@code scores} that {@link #all} computed for the same rows (so no product is computed twice). Entries
     * whose {@code dOut} is 0 may hold any score.
     */
    void allBackward(
            DenseBackend backend,
            float[] a,
            float[] b,
            float[] scores,
            float[] dOut,
            float[] da,
            float[] db,
            int n,
            int m,
            int d);

    /** The named comparator, scoring the first element of each row as a bias term if {@code bias}. */
    static Comparator of(ComparatorName name, boolean bias) {
        return bias ? new BiasedComparator(of(name)) : of(name);
    }

    static Comparator of(ComparatorName name) {
        return switch (name) {
            case DOT -> new Comparators.Dot(false);
            case COS -> new Comparators.Dot(true);
            case L2 -> new Comparators.L2(false);
            case SQUARED_L2 -> new Comparators.L2(true);
        };
    }
}
