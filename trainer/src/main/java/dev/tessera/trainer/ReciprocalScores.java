package dev.tessera.trainer;

import java.util.Arrays;

/**
 * The tail side of a chunk under {@code dynamic_relations}, as PBG scores it: every relation also has a
 * reciprocal operator g, and tails are ranked by the query {@code g(h)} against every candidate t' as it
 * is, with their own positive score {@code score(g(h), t)}; heads keep {@code score(h', op(t))}. Each
 * side applies an operator to its n positives only (each its own relation's), never to the m candidates.
 */
final class ReciprocalScores {
    private final ChunkTrainer t;
    private final int d;
    final float[] pos;
    private final float[] lhsOp;
    private final float[] lhsOpP;
    private final float[] rhsP;
    private final float[] rhsAllP;
    private final float[] gLhsOpP;
    private final float[] gRhsP;
    private final float[] gRhsAllP;
    private final float[] gLhsOp;
    private final float[] gRhs;
    private final float[] gLhs;

    ReciprocalScores(ChunkTrainer t, boolean prepared) {
        this.t = t;
        this.d = t.d;
        int c = t.c;
        int m = t.m;
        gLhs = new float[c * d];
        gRhsP = new float[c * d];
        gLhsOpP = new float[c * d];
        lhsOp = new float[c * d];
        pos = new float[c];
        lhsOpP = prepared ? new float[c * d] : lhsOp;
        rhsP = prepared ? new float[c * d] : t.rhs;
        rhsAllP = prepared ? new float[m * d] : t.rhsAll;
        gRhsAllP = prepared ? new float[m * d] : t.gRhsAll;
        gLhsOp = prepared ? new float[c * d] : gLhsOpP;
        gRhs = prepared ? new float[c * d] : gRhsP;
    }

    /** Scores {@link #pos} and the trainer's negRhs from its gathered lhs, rhs and rhsAll. */
    void forward(int[] rel, int from, int n, int mm) {
        RelationRuns.forward(t.params, t.params.reciprocal, rel, from, n, t.lhs, lhsOp, d);
        t.prepare(lhsOp, lhsOpP, n);
        t.prepare(t.rhs, rhsP, n);
        t.prepare(t.rhsAll, rhsAllP, mm);
        t.comparator.pairs(lhsOpP, rhsP, pos, n, d);
        t.comparator.all(t.backend, lhsOpP, rhsAllP, t.negRhs, n, mm, d);
    }

    /**
     * From the trainer's dPos and dNegRhs: adds to its gLhs and gRhs, writes its gRhsAll, and adds each
     * relation's reciprocal gradient (with N3's, whose value it returns) to its sum.
     */
    double backward(int[] rel, int from, int n, int mm) {
        Arrays.fill(gLhsOpP, 0, n * d, 0f);
        Arrays.fill(gRhsP, 0, n * d, 0f);
        t.comparator.pairsBackward(lhsOpP, rhsP, t.dPos, gLhsOpP, gRhsP, n, d);
        t.comparator.allBackward(t.backend, lhsOpP, rhsAllP, t.negRhs, t.dNegRhs, gLhsOpP, gRhsAllP, n, mm, d);
        t.prepareBackward(t.rhsAll, gRhsAllP, t.gRhsAll, mm);
        t.prepareBackward(t.rhs, gRhsP, gRhs, n);
        t.prepareBackward(lhsOp, gLhsOpP, gLhsOp, n);
        double value = RelationRuns.backward(
                t.params,
                t.params.reciprocal,
                t.parameterSums.reciprocal,
                t.parameterSums,
                t.n3,
                rel,
                from,
                n,
                t.lhs,
                gLhsOp,
                gLhs,
                d,
                null);
        float[] outerLhs = t.gLhs;
        float[] outerRhs = t.gRhs;
        for (int i = 0; i < n * d; i++) {
            outerLhs[i] += gLhs[i];
            outerRhs[i] += gRhs[i];
        }
        return value;
    }
}
