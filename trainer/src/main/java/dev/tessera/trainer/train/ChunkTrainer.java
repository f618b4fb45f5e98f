package dev.tessera.trainer.train;

import dev.tessera.sampler.ChunkNegatives;
import dev.tessera.trainer.backend.DenseBackend;
import dev.tessera.trainer.eval.RankingMetrics;
import dev.tessera.trainer.model.Comparator;
import dev.tessera.trainer.model.Loss;
import dev.tessera.trainer.model.Operator;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains one chunk of positives of one relation (DESIGN.md §5): the chunk shares its candidates on both
 * sides (the chunk's own entities plus uniform draws), so the positives are scored against all candidates
 * with two products per side, then gradients flow back through comparator and operator and every touched
 * row gets a row-wise Adagrad step. One instance per worker thread: it owns all its scratch memory.
 */
public final class ChunkTrainer {
    /** Score of a candidate that is the positive itself: excluded from every loss (its gradient vanishes). */
    private static final float EXCLUDED = -1e9f;

    private final TrainingSettings s;
    private final DenseBackend backend;
    private final Comparator comparator;
    private final Loss loss;
    private final ModelParameters params;
    private final ChunkNegatives negatives;
    private final boolean complexModulus;
    private final int d;
    private final int c;
    private final int m;
    private final int[] lhsCand;
    private final int[] rhsCand;
    private final float[] lhs;
    private final float[] rhs;
    private final float[] lhsAll;
    private final float[] rhsAll;
    private final float[] rhsOp;
    private final float[] rhsAllOp;
    private final float[] lhsP;
    private final float[] rhsOpP;
    private final float[] rhsAllOpP;
    private final float[] lhsAllP;
    private final float[] pos;
    private final float[] negRhs;
    private final float[] negLhs;
    private final float[] dPos;
    private final float[] dPosL;
    private final float[] dNegRhs;
    private final float[] dNegLhs;
    private final float[] gLhsP;
    private final float[] gRhsOpP;
    private final float[] gRhsAllOpP;
    private final float[] gLhsAllP;
    private final float[] gLhs;
    private final float[] gRhsOp;
    private final float[] gRhs;
    private final float[] gRhsAllOp;
    private final float[] gRhsAll;
    private final float[] gLhsAll;
    private final float[] gParams;
    private final float[] gGlobalL;
    private final float[] gGlobalR;
    private final float[] weights;
    /** Where the cache-warming loads' sum goes, so the JIT cannot drop them. */
    private float touched;

    public ChunkTrainer(TrainingSettings settings, DenseBackend backend, ModelParameters params) {
        this.s = settings;
        this.backend = backend;
        this.params = params;
        this.comparator = Comparator.of(settings.comparator());
        this.loss = Loss.of(settings.loss(), settings.margin());
        this.negatives = new ChunkNegatives(settings.chunkSize(), settings.uniformNegatives(),
                settings.degreeNegatives());
        this.complexModulus = Arrays.stream(params.operators).allMatch(o -> o.name().equals("complex_diagonal"));
        this.d = settings.dimension();
        this.c = settings.chunkSize();
        this.m = negatives.candidates(c);
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
        gParams = new float[Arrays.stream(params.relation).mapToInt(p -> p.length).max().orElse(0)];
        gGlobalL = new float[d];
        gGlobalR = new float[d];
        weights = new float[c];
    }

    public int chunkSize() {
        return c;
    }

    /**
     * Ranks positives {@code [from, from+len)} among the chunk's candidates on both sides, without training:
     * PBG's evaluation on held-out edges before and after each bucket (sampled, so it is cheap).
     */
    public void rank(int rel, int[] lhsOff, int[] rhsOff, int from, int len, EmbeddingPartition lp,
                     EmbeddingPartition rp, SplittableRandom random, RankingMetrics metrics) {
        int mm = forward(rel, lhsOff, rhsOff, null, from, len, lp, rp, random);
        for (int i = 0; i < len; i++) {
            for (float[] neg : new float[][] {negRhs, negLhs}) {
                double better = 0;
                for (int j = 0; j < mm; j++) {
                    float v = neg[i * mm + j];
                    better += v > pos[i] ? 1 : v == pos[i] ? 0.5 : 0;
                }
                metrics.add(1 + better, 1 - better / Math.max(1, mm - 1));
            }
        }
    }

    /** Gathers, transforms and scores a chunk: positives and both sides' candidates; returns the candidate count. */
    private int forward(int rel, int[] lhsOff, int[] rhsOff, float[] edgeWeight, int from, int n,
                        EmbeddingPartition lp, EmbeddingPartition rp, SplittableRandom random) {
        int mm = negatives.fill(lhsOff, from, n, lp.rows, lp.degrees, random, lhsCand);
        negatives.fill(rhsOff, from, n, rp.rows, rp.degrees, random, rhsCand);
        Operator op = params.operators[rel];
        float[] rp0 = params.relation[rel];
        float[] gl = params.global[lp.type];
        float[] gr = params.global[rp.type];
        gather(lp, lhsOff, from, n, gl, lhs);
        gather(rp, rhsOff, from, n, gr, rhs);
        gather(lp, lhsCand, 0, mm, gl, lhsAll);
        gather(rp, rhsCand, 0, mm, gr, rhsAll);
        for (int i = 0; i < n; i++) {
            weights[i] = params.relationWeight[rel] * (edgeWeight == null ? 1f : edgeWeight[from + i]);
        }

        op.forward(rp0, rhs, rhsOp, n, d);
        op.forward(rp0, rhsAll, rhsAllOp, mm, d);
        if (comparator.transformsRows()) {
            comparator.prepare(lhs, lhsP, n, d);
            comparator.prepare(rhsOp, rhsOpP, n, d);
            comparator.prepare(rhsAllOp, rhsAllOpP, mm, d);
            comparator.prepare(lhsAll, lhsAllP, mm, d);
        }
        comparator.pairs(lhsP, rhsOpP, pos, n, d);
        comparator.all(backend, lhsP, rhsAllOpP, negRhs, n, mm, d);
        comparator.all(backend, rhsOpP, lhsAllP, negLhs, n, mm, d);
        for (int i = 0; i < n; i++) {
            negRhs[i * mm + i] = EXCLUDED;
            negLhs[i * mm + i] = EXCLUDED;
        }
        return mm;
    }

    /**
     * One step on positives {@code i ∈ [from, from+len)} of relation {@code rel}, all of whose lhs are in
     * {@code lp} and rhs in {@code rp}; returns the chunk's loss.
     */
    public double train(int rel, int[] lhsOff, int[] rhsOff, float[] edgeWeight, int from, int len,
                        EmbeddingPartition lp, EmbeddingPartition rp, SplittableRandom random) {
        int n = len;
        int mm = forward(rel, lhsOff, rhsOff, edgeWeight, from, n, lp, rp, random);
        Operator op = params.operators[rel];
        float[] rp0 = params.relation[rel];
        float[] gl = params.global[lp.type];
        float[] gr = params.global[rp.type];
        double value = loss.compute(pos, negRhs, weights, n, mm, dPos, dNegRhs)
                + loss.compute(pos, negLhs, weights, n, mm, dPosL, dNegLhs);
        for (int i = 0; i < n; i++) {
            dPos[i] += dPosL[i];
            dNegRhs[i * mm + i] = 0;
            dNegLhs[i * mm + i] = 0;
        }

        Arrays.fill(gLhsP, 0, n * d, 0f);
        Arrays.fill(gRhsOpP, 0, n * d, 0f);
        comparator.pairsBackward(lhsP, rhsOpP, dPos, gLhsP, gRhsOpP, n, d);
        comparator.allBackward(backend, lhsP, rhsAllOpP, negRhs, dNegRhs, gLhsP, gRhsAllOpP, n, mm, d);
        comparator.allBackward(backend, rhsOpP, lhsAllP, negLhs, dNegLhs, gRhsOpP, gLhsAllP, n, mm, d);
        if (comparator.transformsRows()) {
            comparator.prepareBackward(lhs, gLhsP, gLhs, n, d);
            comparator.prepareBackward(rhsOp, gRhsOpP, gRhsOp, n, d);
            comparator.prepareBackward(rhsAllOp, gRhsAllOpP, gRhsAllOp, mm, d);
            comparator.prepareBackward(lhsAll, gLhsAllP, gLhsAll, mm, d);
        }
        Arrays.fill(gParams, 0, rp0.length, 0f);
        op.backward(rp0, rhs, gRhsOp, gRhs, gParams, n, d);
        op.backward(rp0, rhsAll, gRhsAllOp, gRhsAll, gParams, mm, d);
        if (s.regularization() > 0) {
            value += regularize(lhs, gLhs, n) + regularize(rhs, gRhs, n) + regularizeParams(rp0, n);
        }

        float lr = (float) s.lr();
        float maxNorm = (float) s.maxNorm();
        Arrays.fill(gGlobalL, 0f);
        Arrays.fill(gGlobalR, 0f);
        // The first n candidates are the positives' own rows: one Adagrad step on the summed gradient, as
        // PBG's index_add does, rather than two steps that would count the row twice in its accumulator.
        for (int i = 0; i < n * d; i++) {
            gLhsAll[i] += gLhs[i];
            gRhsAll[i] += gRhs[i];
        }
        // The candidate rows were read at the gather but have left the cache since; one cheap pass that only
        // loads from each row issues all the misses at once, so the update loop below finds its rows cached.
        touched += RowAdagrad.touch(lp.embeddings, lhsCand, mm, d) + RowAdagrad.touch(rp.embeddings, rhsCand, mm, d);
        for (int j = 0; j < mm; j++) {
            RowAdagrad.update(lp.embeddings, lp.state, lhsCand[j], gLhsAll, j * d, d, lr, maxNorm);
            RowAdagrad.update(rp.embeddings, rp.state, rhsCand[j], gRhsAll, j * d, d, lr, maxNorm);
        }
        if (rp0.length > 0) {
            RowAdagrad.updateElementwise(rp0, params.relationState[rel], gParams, (float) s.relationLr());
        }
        if (gl != null) {
            // Every row's gradient (positives' included) is in gLhsAll/gRhsAll now.
            sumRows(gLhsAll, mm, gGlobalL);
            sumRows(gRhsAll, mm, gGlobalR);
            if (gl == gr) {
                // Both sides of a relation within one type share the global embedding: one step on the sum.
                for (int k = 0; k < d; k++) {
                    gGlobalL[k] += gGlobalR[k];
                }
                RowAdagrad.updateElementwise(gl, params.globalState[lp.type], gGlobalL, lr);
            } else {
                RowAdagrad.updateElementwise(gl, params.globalState[lp.type], gGlobalL, lr);
                RowAdagrad.updateElementwise(gr, params.globalState[rp.type], gGlobalR, lr);
            }
        }
        return value;
    }

    private void gather(EmbeddingPartition p, int[] rows, int from, int n, float[] global, float[] out) {
        for (int i = 0; i < n; i++) {
            System.arraycopy(p.embeddings, rows[from + i] * d, out, i * d, d);
            if (global != null) {
                for (int k = 0; k < d; k++) {
                    out[i * d + k] += global[k];
                }
            }
        }
    }

    private void sumRows(float[] g, int rows, float[] out) {
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < d; k++) {
                out[k] += g[i * d + k];
            }
        }
    }

    /**
     * N3 (Lacroix et al. 2018): {@code coef · Σ |x|³}, over complex moduli when every operator is ComplEx's,
     * element-wise otherwise. Adds its gradient to {@code g}; returns its value.
     */
    private double regularize(float[] x, float[] g, int rows) {
        float coef = (float) s.regularization();
        double value = 0;
        if (complexModulus) {
            int h = d / 2;
            for (int i = 0; i < rows; i++) {
                int o = i * d;
                for (int k = 0; k < h; k++) {
                    float re = x[o + k];
                    float im = x[o + h + k];
                    float mod = (float) Math.sqrt(re * re + im * im);
                    value += coef * mod * mod * mod;
                    g[o + k] += 3 * coef * mod * re;
                    g[o + h + k] += 3 * coef * mod * im;
                }
            }
        } else {
            for (int i = 0; i < rows * d; i++) {
                float a = Math.abs(x[i]);
                value += coef * a * a * a;
                g[i] += 3 * coef * a * x[i];
            }
        }
        return value;
    }

    /** N3 on the relation's parameters, once per positive (as if each triple carried its relation). */
    private double regularizeParams(float[] p, int positives) {
        if (!complexModulus || p.length == 0) {
            return 0;
        }
        float[] one = new float[d];
        System.arraycopy(p, 0, one, 0, d);
        float[] g = new float[d];
        double v = regularize(one, g, 1);
        for (int k = 0; k < p.length; k++) {
            gParams[k] += positives * g[k];
        }
        return positives * v;
    }
}
