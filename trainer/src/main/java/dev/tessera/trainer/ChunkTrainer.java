package dev.tessera.trainer;

import dev.tessera.model.Comparator;
import dev.tessera.model.Loss;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.sampler.ChunkNegatives;
import dev.tessera.trainer.eval.RankingMetrics;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains one chunk of positives (DESIGN.md §5): the chunk shares its candidates on both sides (the chunk's
 * own entities plus uniform draws), so the positives are scored against all candidates with two products per
 * side, then gradients flow back through comparator and operator into per-row sums, which {@link #step}
 * applies after every chunk, or with {@code optimizer_step: batch} after the batch's chunks. One instance per
 * worker thread: it owns all its scratch memory.
 *
 * <p>Without dynamic relations a chunk holds one relation, whose operator also transforms the tail
 * candidates. With dynamic relations operators touch only the positives, so a chunk may mix relations (of
 * the same entity types), as PBG's batches do: each positive passes through its own relation's operator, and
 * the chunk's batch negatives are the entities of positives of every relation.
 */
public final class ChunkTrainer {
    /** Score of a candidate that is the positive itself: excluded from every loss (its gradient vanishes). */
    static final float EXCLUDED = -1e9f;

    private final TrainingSettings s;
    final DenseBackend backend;
    final Comparator comparator;
    private final Loss loss;
    final ModelParameters params;
    private final ChunkNegatives negatives;
    final int d;
    final int c;
    final int m;
    /** Every entity of the partition is a candidate (relations with all_negs), not sampled ones. */
    private final boolean allNegatives;
    /** Candidates of the current chunk on the head (lhs) and tail (rhs) side. */
    private int mL;

    private int mR;
    private final int[] lhsCand;
    private final int[] rhsCand;
    final float[] lhs;
    final float[] rhs;
    private final float[] lhsAll;
    final float[] rhsAll;
    private final float[] rhsOp;
    private final float[] rhsAllOp;
    private final float[] lhsP;
    private final float[] rhsOpP;
    private final float[] rhsAllOpP;
    private final float[] lhsAllP;
    private final float[] pos;
    final float[] negRhs;
    private final float[] negLhs;
    final float[] dPos;
    private final float[] dPosL;
    final float[] dNegRhs;
    private final float[] dNegLhs;
    private final float[] gLhsP;
    private final float[] gRhsOpP;
    private final float[] gRhsAllOpP;
    private final float[] gLhsAllP;
    final float[] gLhs;
    private final float[] gRhsOp;
    final float[] gRhs;
    private final float[] gRhsAllOp;
    final float[] gRhsAll;
    private final float[] gLhsAll;
    private final ReciprocalScores reciprocal;
    private final float[] weights;
    /** Gradients summed since the last {@link #step}. */
    private final RowGradients rowGradients;

    final ParameterGradients parameterSums;
    final N3Regularizer n3;
    /** What the configured learning rates are multiplied by (reduce-on-plateau lowers it). */
    private double lrScale = 1;

    public ChunkTrainer(TrainingSettings settings, DenseBackend backend, ModelParameters params) {
        this(settings, backend, params, 0);
    }

    /**
     * A trainer for relations with {@code all_negs}: each positive is scored against every entity of its
     * partitions, which may hold up to {@code maxPartitionRows} rows (its scratch grows with that).
     */
    public static ChunkTrainer allNegatives(
            TrainingSettings settings, DenseBackend backend, ModelParameters params, int maxPartitionRows) {
        return new ChunkTrainer(settings, backend, params, maxPartitionRows);
    }

    private ChunkTrainer(
            TrainingSettings settings, DenseBackend backend, ModelParameters params, int allNegativesRows) {
        this.s = settings;
        this.backend = backend;
        this.params = params;
        this.comparator = Comparator.of(settings.comparator(), settings.bias());
        this.loss = Loss.of(settings.loss(), settings.margin(), settings.adversarialTemperature());
        this.negatives =
                new ChunkNegatives(settings.chunkSize(), settings.uniformNegatives(), settings.degreeNegatives());
        this.d = settings.dimension();
        this.c = settings.chunkSize();
        this.n3 = N3Regularizer.of(settings.regularization(), d, params);
        this.allNegatives = allNegativesRows > 0;
        this.m = allNegatives ? allNegativesRows : negatives.candidates(c);
        lhsCand = new int[m];
        rhsCand = new int[m];
        lhs = new float[c * d];
        rhs = new float[c * d];
        lhsAll = new float[m * d];
        rhsAll = new float[m * d];
        rhsOp = new float[c * d];
        rhsAllOp = new float[m * d];
        // Comparators that leave rows as they are (all but cos) work on the rows themselves: no copies.
        boolean prepared = comparator.transformsRows();
        lhsP = prepared ? new float[c * d] : lhs;
        rhsOpP = prepared ? new float[c * d] : rhsOp;
        rhsAllOpP = prepared ? new float[m * d] : rhsAllOp;
        lhsAllP = prepared ? new float[m * d] : lhsAll;
        pos = new float[c];
        negRhs = new float[c * m];
        negLhs = new float[c * m];
        dPos = new float[c];
        dPosL = new float[c];
        dNegRhs = new float[c * m];
        dNegLhs = new float[c * m];
        gLhsP = new float[c * d];
        gRhsOpP = new float[c * d];
        gRhsAllOpP = new float[m * d];
        gLhsAllP = new float[m * d];
        gLhs = prepared ? new float[c * d] : gLhsP;
        gRhsOp = prepared ? new float[c * d] : gRhsOpP;
        gRhs = new float[c * d];
        gRhsAllOp = prepared ? new float[m * d] : gRhsAllOpP;
        gRhsAll = new float[m * d];
        gLhsAll = prepared ? new float[m * d] : gLhsAllP;
        reciprocal = params.dynamicRelations() ? new ReciprocalScores(this, prepared) : null;
        weights = new float[c];
        rowGradients = new RowGradients(d, settings.stepPerBatch());
        parameterSums = new ParameterGradients(params, d);
    }

    public int chunkSize() {
        return c;
    }

    /**
     * From now on {@link #step} updates embedding rows only (and of those only rows a partition does not
     * freeze): new entities are fitted into a trained model without moving what it already learned.
     */
    public void freezeParameters() {
        parameterSums.freeze();
    }

    /**
     * Ranks positives {@code [from, from+len)} among the chunk's candidates on both sides, without training:
     * PBG's evaluation on held-out edges before and after each bucket (sampled, so it is cheap).
     */
    public void rank(
            int[] rel,
            int[] lhsOff,
            int[] rhsOff,
            int from,
            int len,
            EmbeddingPartition lp,
            EmbeddingPartition rp,
            SplittableRandom random,
            RankingMetrics metrics) {
        forward(rel, lhsOff, rhsOff, null, from, len, lp, rp, random);
        float[] tailPos = reciprocal == null ? pos : reciprocal.pos;
        for (int i = 0; i < len; i++) {
            rankOne(negRhs, i, mR, tailPos[i], metrics);
            rankOne(negLhs, i, mL, pos[i], metrics);
        }
    }

    private static void rankOne(float[] neg, int i, int mm, float positive, RankingMetrics metrics) {
        double better = 0;
        for (int j = 0; j < mm; j++) {
            float v = neg[i * mm + j];
            better += v > positive ? 1 : v == positive ? 0.5 : 0;
        }
        metrics.add(1 + better, 1 - better / Math.max(1, mm - 1));
    }

    /** Gathers, transforms and scores a chunk: positives and both sides' candidates (sets mL and mR). */
    private void forward(
            int[] rel,
            int[] lhsOff,
            int[] rhsOff,
            float[] edgeWeight,
            int from,
            int n,
            EmbeddingPartition lp,
            EmbeddingPartition rp,
            SplittableRandom random) {
        if (reciprocal == null) {
            requireOneRelation(rel, from, n);
        }
        if (allNegatives) {
            mL = everyRow(lp, lhsCand);
            mR = everyRow(rp, rhsCand);
        } else {
            mL = negatives.fill(lhsOff, from, n, lp.rows, lp.degrees, random, lhsCand);
            mR = negatives.fill(rhsOff, from, n, rp.rows, rp.degrees, random, rhsCand);
        }
        float[] gl = params.global[lp.type];
        float[] gr = params.global[rp.type];
        lp.gather(lhsOff, from, n, gl, lhs);
        rp.gather(rhsOff, from, n, gr, rhs);
        lp.gather(lhsCand, 0, mL, gl, lhsAll);
        rp.gather(rhsCand, 0, mR, gr, rhsAll);
        for (int i = 0; i < n; i++) {
            weights[i] = params.relationWeight[rel[from + i]] * (edgeWeight == null ? 1f : edgeWeight[from + i]);
        }

        // Heads: the query op(t) against every candidate h. Tails: h against op(t') for every candidate t',
        // or with dynamic relations the reciprocal's query op⁻(h) against every t' as it is.
        RelationRuns.forward(params, params.relation, rel, from, n, rhs, rhsOp, d);
        prepare(lhs, lhsP, n);
        prepare(rhsOp, rhsOpP, n);
        prepare(lhsAll, lhsAllP, mL);
        comparator.pairs(lhsP, rhsOpP, pos, n, d);
        comparator.all(backend, rhsOpP, lhsAllP, negLhs, n, mL, d);
        if (reciprocal == null) {
            int r = rel[from];
            params.operators[r].forward(params.relation[r], rhsAll, rhsAllOp, 0, mR, d);
            prepare(rhsAllOp, rhsAllOpP, mR);
            comparator.all(backend, lhsP, rhsAllOpP, negRhs, n, mR, d);
        } else {
            reciprocal.forward(rel, from, n, mR);
        }
        for (int i = 0; i < n; i++) {
            negRhs[i * mR + self(rhsOff, from, i)] = EXCLUDED;
            negLhs[i * mL + self(lhsOff, from, i)] = EXCLUDED;
        }
    }

    /** Without dynamic relations the operator transforms the candidates too, so a chunk holds one relation. */
    private static void requireOneRelation(int[] rel, int from, int n) {
        if (RelationRuns.end(rel, from, 0, n) != n) {
            throw new IllegalArgumentException("a chunk mixes relations " + rel[from] + " and "
                    + rel[from + RelationRuns.end(rel, from, 0, n)] + ", which only dynamic relations allow");
        }
    }

    /** Candidate slot of positive i's own entity: its offset among all rows, or slot i among sampled ones. */
    private int self(int[] offsets, int from, int i) {
        return allNegatives ? offsets[from + i] : i;
    }

    private int everyRow(EmbeddingPartition p, int[] out) {
        if (p.rows > m) {
            throw new IllegalStateException("partition of " + p.rows + " rows, but all_negs scratch holds " + m);
        }
        for (int j = 0; j < p.rows; j++) {
            out[j] = j;
        }
        return p.rows;
    }

    /**
     * Forward and backward on positives {@code i ∈ [from, from+len)}, of relations {@code rel[i]} (one
     * relation unless relations are dynamic), all of whose lhs are in {@code lp} and rhs in {@code rp},
     * leaving the gradients for {@link #step}; returns the chunk's loss. With a step per chunk the step must
     * come before the next chunk (the row sums point into this chunk's scratch); with {@code optimizer_step:
     * batch} the sums hold copies and grow until the step.
     */
    public double train(
            int[] rel,
            int[] lhsOff,
            int[] rhsOff,
            float[] edgeWeight,
            int from,
            int len,
            EmbeddingPartition lp,
            EmbeddingPartition rp,
            SplittableRandom random) {
        if (!s.stepPerBatch() && rowGradients.pending()) {
            throw new IllegalStateException("step() the last chunk's gradients before training the next chunk");
        }
        int n = len;
        forward(rel, lhsOff, rhsOff, edgeWeight, from, n, lp, rp, random);
        float[] gl = params.global[lp.type];
        // dPos holds the tail side's gradient on its positive scores, dPosL the head side's; without dynamic
        // relations both sides share the positive scores, so dPosL ends up holding the sum.
        double value = loss.compute(reciprocal == null ? pos : reciprocal.pos, negRhs, weights, n, mR, dPos, dNegRhs)
                + loss.compute(pos, negLhs, weights, n, mL, dPosL, dNegLhs);
        for (int i = 0; i < n; i++) {
            dNegRhs[i * mR + self(rhsOff, from, i)] = 0;
            dNegLhs[i * mL + self(lhsOff, from, i)] = 0;
        }
        if (reciprocal == null) {
            for (int i = 0; i < n; i++) {
                dPosL[i] += dPos[i];
            }
        }

        Arrays.fill(gLhsP, 0, n * d, 0f);
        Arrays.fill(gRhsOpP, 0, n * d, 0f);
        comparator.pairsBackward(lhsP, rhsOpP, dPosL, gLhsP, gRhsOpP, n, d);
        comparator.allBackward(backend, rhsOpP, lhsAllP, negLhs, dNegLhs, gRhsOpP, gLhsAllP, n, mL, d);
        prepareBackward(lhsAll, gLhsAllP, gLhsAll, mL);
        if (reciprocal == null) {
            comparator.allBackward(backend, lhsP, rhsAllOpP, negRhs, dNegRhs, gLhsP, gRhsAllOpP, n, mR, d);
            prepareBackward(rhsAllOp, gRhsAllOpP, gRhsAllOp, mR);
        }
        prepareBackward(lhs, gLhsP, gLhs, n);
        prepareBackward(rhsOp, gRhsOpP, gRhsOp, n);
        value += RelationRuns.backward(
                params,
                params.relation,
                parameterSums.relation,
                parameterSums,
                n3,
                rel,
                from,
                n,
                rhs,
                gRhsOp,
                gRhs,
                d,
                null);
        if (reciprocal == null) {
            // One relation (forward checked): its operator also transformed every tail candidate.
            int r = rel[from];
            params.operators[r].backward(
                    params.relation[r], rhsAll, gRhsAllOp, gRhsAll, parameterSums.relation[r], 0, mR, d);
        } else {
            value += reciprocal.backward(rel, from, n, mR);
        }
        value += n3.rows(lhs, gLhs, n) + n3.rows(rhs, gRhs, n);

        // Each positive's own row is also a candidate: its gradient joins the candidate's.
        for (int i = 0; i < n; i++) {
            Rows.add(gLhs, i, gLhsAll, self(lhsOff, from, i), d);
            Rows.add(gRhs, i, gRhsAll, self(rhsOff, from, i), d);
        }
        if (gl != null) {
            Rows.sum(gLhsAll, mL, parameterSums.global[lp.type], d);
            Rows.sum(gRhsAll, mR, parameterSums.global[rp.type], d);
            parameterSums.touchGlobal(lp.type);
            parameterSums.touchGlobal(rp.type);
        }
        rowGradients.add(lp, lhsCand, 0, gLhsAll, mL);
        rowGradients.add(rp, rhsCand, 0, gRhsAll, mR);
        return value;
    }

    /**
     * Applies the gradients summed since the last step: row-wise Adagrad on every embedding row they touched
     * (once per row), Adagrad on the relations' parameters and the global embeddings.
     */
    public void step() {
        float lr = (float) (s.lr() * lrScale);
        rowGradients.step(lr, (float) s.maxNorm());
        parameterSums.step(lr, (float) (s.relationLr() * lrScale));
    }

    /** From now on the configured learning rates are multiplied by {@code scale}. */
    void scaleLearningRates(double scale) {
        lrScale = scale;
    }

    /** {@code out = prepared(x)}; a no-op for comparators that use rows as they are (out is then x). */
    void prepare(float[] x, float[] out, int rows) {
        if (comparator.transformsRows()) {
            comparator.prepare(x, out, rows, d);
        }
    }

    void prepareBackward(float[] x, float[] dOut, float[] dx, int rows) {
        if (comparator.transformsRows()) {
            comparator.prepareBackward(x, dOut, dx, rows, d);
        }
    }
}
