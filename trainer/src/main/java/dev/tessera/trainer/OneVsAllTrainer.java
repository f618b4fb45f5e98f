package dev.tessera.trainer;

import dev.tessera.core.config.ComparatorName;
import dev.tessera.model.Comparator;
import dev.tessera.model.Loss;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.DenseBackend;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains a batch of positives against every entity of its partitions ({@code training_mode: 1_vs_all}), the
 * setting of the published link-prediction results. Under dynamic relations both sides are queries against
 * entities as they are: heads rank {@code op_r(t)} against every row of the head partition, tails rank the
 * reciprocal {@code op⁻_r(h)} against every row of the tail partition, each as one product of the block's
 * queries with all rows. The loss takes a positive's own entry as its class and every other row as a negative.
 * Every row's gradient is summed over the batch, and {@link #train} ends with one row-wise Adagrad step per row.
 *
 * <p>Unlike {@code all_negs} chunks (50 positives scoring every entity, then stepping every row), the batch's
 * queries share one pass over the rows, so the products are large and the per-row work (candidate gradients,
 * Adagrad) is paid once per batch, not once per chunk. Queries go through in blocks of at most
 * {@link #SCORE_BUDGET}{@code / rows}, so the score matrices stay bounded. One instance per worker thread: it owns
 * all its scratch memory.
 *
 * <p>Under {@code k_vs_all} ({@link #trainSide}) a batch trains one side, and adjacent positives that share
 * relation and query row are one query ({@link QueryBlock}): scored once, each positive with its own loss term
 * ({@link QueryLosses}), N3 counted per positive.
 */
final class OneVsAllTrainer {
    /** Floats of one block's scores (its gradients take as many): 32 MB each. */
    static final int SCORE_BUDGET = 8 << 20;

    private final TrainingSettings s;
    private final DenseBackend backend;
    private final Comparator comparator;
    /** The dot comparator without bias: scores are the products themselves, whose gradients can accumulate. */
    private final boolean plainDot;

    private final QueryLosses losses;
    private final ModelParameters params;
    private final int d;
    /** Queries per block. */
    private final int block;

    private final float[] scores;
    private final float[] dScores;
    private final int[] counts;
    private final QueryBlock headQueries;
    private final QueryBlock tailQueries;
    /** A block's query inputs (the rows the operators transform), the queries, prepared, after dropout. */
    private final float[] queryIn;

    private final float[] query;
    private final float[] queryP;
    private final float[] queryD;
    private final float[] keep;
    private final float[] gQueryD;
    private final float[] gQueryP;
    private final float[] gQuery;
    private final float[] gQueryIn;
    private final Candidates lhsCandidates;
    private final Candidates rhsCandidates;
    /** Gradients of every row of the head and tail partitions, summed over the batch. */
    private final float[] gradLhs;

    private final float[] gradRhs;
    private final ParameterGradients parameterSums;
    private final N3Regularizer n3;
    /** What the configured learning rates are multiplied by (reduce-on-plateau lowers it). */
    private double lrScale = 1;

    OneVsAllTrainer(TrainingSettings settings, DenseBackend backend, ModelParameters params, int maxRows) {
        this(settings, backend, params, maxRows, blockRows(settings, backend, maxRows));
    }

    /**
     * Queries per block: the scores within {@link #SCORE_BUDGET}, and each product within what the backend
     * multiplies without copying its operands (as long as that leaves blocks of 64 queries or more).
     */
    private static int blockRows(TrainingSettings settings, DenseBackend backend, int maxRows) {
        long rows = Math.max(1, maxRows);
        long copyFree = backend.largestCopyFreeProduct() / (rows * settings.dimension());
        return (int) Math.min(SCORE_BUDGET / rows, Math.max(64, copyFree));
    }

    /**
     * Floats of a trainer's scratch that grow with the partitions it scores (the rest grows with a block's
     * queries): the block's scores and their gradients, both partitions' summed gradients, and the candidates'
     * copies the comparator or global embeddings call for. {@link TrainingMemory} counts them before training.
     */
    static long partitionScratchFloats(
            TrainingSettings settings, DenseBackend backend, ModelParameters params, int maxRows) {
        long rows = Math.max(1, maxRows);
        long d = settings.dimension();
        long block = Math.max(1, Math.min(settings.batchSize(), blockRows(settings, backend, maxRows)));
        boolean transforms =
                Comparator.of(settings.comparator(), settings.bias()).transformsRows();
        boolean plainDot = settings.comparator() == ComparatorName.DOT && !settings.bias();
        boolean anyGlobal = Arrays.stream(params.global).anyMatch(g -> g != null);
        int copiesPerCandidates = (anyGlobal ? 1 : 0) + (transforms ? 2 : 0) + (plainDot ? 0 : 1);
        return 2 * block * rows + 2 * rows * d + 2L * copiesPerCandidates * rows * d;
    }

    /** A trainer that takes at most {@code blockRows} queries at a time (tests cut batches into several blocks). */
    OneVsAllTrainer(
            TrainingSettings settings, DenseBackend backend, ModelParameters params, int maxRows, int blockRows) {
        if (!params.dynamicRelations()) {
            throw new IllegalArgumentException("1_vs_all training needs dynamic relations");
        }
        this.s = settings;
        this.backend = backend;
        this.params = params;
        this.comparator = Comparator.of(settings.comparator(), settings.bias());
        this.plainDot = settings.comparator() == ComparatorName.DOT && !settings.bias();
        this.d = settings.dimension();
        int rows = Math.max(1, maxRows);
        this.block = Math.max(1, Math.min(settings.batchSize(), blockRows));
        this.losses = new QueryLosses(
                Loss.of(settings.loss(), settings.margin(), settings.adversarialTemperature()), block, rows);
        this.n3 = N3Regularizer.of(settings.regularization(), d, params);
        scores = new float[block * rows];
        dScores = new float[block * rows];
        counts = new int[block];
        headQueries = new QueryBlock(block);
        tailQueries = new QueryBlock(block);
        boolean prepared = comparator.transformsRows();
        boolean dropout = settings.dropout() > 0;
        queryIn = new float[block * d];
        query = new float[block * d];
        queryP = prepared ? new float[block * d] : query;
        queryD = dropout ? new float[block * d] : queryP;
        keep = dropout ? new float[block * d] : null;
        gQueryD = new float[block * d];
        gQueryP = dropout ? new float[block * d] : gQueryD;
        gQuery = prepared ? new float[block * d] : gQueryP;
        gQueryIn = new float[block * d];
        lhsCandidates = new Candidates(rows);
        rhsCandidates = new Candidates(rows);
        gradLhs = new float[rows * d];
        gradRhs = new float[rows * d];
        parameterSums = new ParameterGradients(params, d);
    }

    /**
     * Forward, backward and the optimizer step for positives {@code [from, from+len)}, whose heads are all in
     * {@code lp} and tails in {@code rp}; returns the batch's loss.
     */
    double train(
            int[] rel,
            int[] lhsOff,
            int[] rhsOff,
            float[] edgeWeight,
            int from,
            int len,
            EmbeddingPartition lp,
            EmbeddingPartition rp,
            SplittableRandom random) {
        Candidates heads = lhsCandidates.load(lp);
        Candidates tails = rp == lp ? heads : rhsCandidates.load(rp);
        float[] gL = gradLhs;
        float[] gR = rp == lp ? gradLhs : gradRhs;
        // Both sums are all zeros here: the last batch's step cleared every row it applied.
        double value = 0;
        float[] relationWeight = params.relationWeight;
        for (int a = from; a < from + len; a += block) {
            int n = Math.min(block, from + len - a);
            // Heads: op_r(t) against every head row; the query's gradient goes to the tails' rows.
            headQueries.ofEdges(rel, rhsOff, lhsOff, edgeWeight, relationWeight, a, n);
            value += side(headQueries, rp, params.relation, parameterSums.relation, heads, gL, gR, random);
            // Tails: the reciprocal op⁻_r(h) against every tail row; the query's gradient goes to the heads' rows.
            tailQueries.ofEdges(rel, lhsOff, rhsOff, edgeWeight, relationWeight, a, n);
            value += side(tailQueries, lp, params.reciprocal, parameterSums.reciprocal, tails, gR, gL, random);
        }
        step(lp, rp, gL, gR);
        return value;
    }

    /**
     * Forward, backward and the optimizer step for one side of positives {@code [from, from+len)} under
     * {@code k_vs_all}: adjacent positives sharing relation and query row (the tail's for the head side, {@code
     * heads} true; else the head's) are one query, scored once, each positive with its own loss term.
     */
    double trainSide(
            boolean heads,
            int[] rel,
            int[] lhsOff,
            int[] rhsOff,
            float[] edgeWeight,
            int from,
            int len,
            EmbeddingPartition lp,
            EmbeddingPartition rp,
            SplittableRandom random) {
        float[] gL = gradLhs;
        float[] gR = rp == lp ? gradLhs : gradRhs;
        Candidates cand = heads ? lhsCandidates.load(lp) : rhsCandidates.load(rp);
        QueryBlock q = heads ? headQueries : tailQueries;
        double value = 0;
        for (int a = from; a < from + len; ) {
            if (heads) {
                a = q.ofQueries(rel, rhsOff, lhsOff, edgeWeight, params.relationWeight, a, from + len);
                value += side(q, rp, params.relation, parameterSums.relation, cand, gL, gR, random);
            } else {
                a = q.ofQueries(rel, lhsOff, rhsOff, edgeWeight, params.relationWeight, a, from + len);
                value += side(q, lp, params.reciprocal, parameterSums.reciprocal, cand, gR, gL, random);
            }
        }
        step(lp, rp, gL, gR);
        return value;
    }

    /** Global embeddings' gradients, then one step of every row and parameter the batch touched. */
    private void step(EmbeddingPartition lp, EmbeddingPartition rp, float[] gL, float[] gR) {
        if (params.global[lp.type] != null) {
            Rows.sum(gL, lp.rows, parameterSums.global[lp.type], d);
            parameterSums.touchGlobal(lp.type);
        }
        if (rp != lp && params.global[rp.type] != null) {
            Rows.sum(gR, rp.rows, parameterSums.global[rp.type], d);
            parameterSums.touchGlobal(rp.type);
        }
        float lr = (float) (s.lr() * lrScale);
        stepAndClear(lp, gL, lr);
        if (rp != lp) {
            stepAndClear(rp, gR, lr);
        }
        parameterSums.step(lr, (float) (s.relationLr() * lrScale));
    }

    /** From now on the configured learning rates are multiplied by {@code scale}. */
    void scaleLearningRates(double scale) {
        lrScale = scale;
    }

    /**
     * One side of a block of queries {@code q}, made from rows of {@code queryPart} through operators {@code
     * opParams} and ranked against every candidate row: adds the candidates' gradients to {@code candGrad} and
     * the query rows' to {@code queryGrad}.
     */
    private double side(
            QueryBlock q,
            EmbeddingPartition queryPart,
            float[][] opParams,
            float[][] opSums,
            Candidates cand,
            float[] candGrad,
            float[] queryGrad,
            SplittableRandom random) {
        int n = q.n;
        int m = cand.rows;
        queryPart.gather(q.row, 0, n, params.global[queryPart.type], queryIn);
        RelationRuns.forward(params, opParams, q.rel, 0, n, queryIn, query, d);
        if (comparator.transformsRows()) {
            comparator.prepare(query, queryP, n, d);
        }
        if (keep != null) {
            dropout(n, random);
        }
        comparator.all(backend, queryD, cand.prepared, scores, n, m, d);
        double value = losses.compute(q, scores, dScores, m);
        Arrays.fill(gQueryD, 0, n * d, 0f);
        if (plainDot) {
            // Scores are plain products of the rows: both gradient products add straight into the sums, with
            // no pass over every row's gradient in between (a tenth of a WN18RR batch's time).
            backend.ab(dScores, cand.prepared, gQueryD, n, m, d, true);
            backend.aTb(dScores, queryD, candGrad, n, m, d, true);
        } else {
            comparator.allBackward(backend, queryD, cand.prepared, scores, dScores, gQueryD, cand.gradientP, n, m, d);
            cand.addGradient(candGrad);
        }
        if (keep != null) {
            for (int k = 0; k < n * d; k++) {
                gQueryP[k] = gQueryD[k] * keep[k];
            }
        }
        if (comparator.transformsRows()) {
            comparator.prepareBackward(query, gQueryP, gQuery, n, d);
        }
        int[] positives = q.counts(counts);
        value += RelationRuns.backward(
                params, opParams, opSums, parameterSums, n3, q.rel, 0, n, queryIn, gQuery, gQueryIn, d, positives);
        value += n3.rows(queryIn, gQueryIn, n, positives);
        for (int i = 0; i < n; i++) {
            Rows.add(gQueryIn, i, queryGrad, q.row[i], d);
        }
        return value;
    }

    /** Inverted dropout of the block's prepared queries into {@link #queryD}, keeping the scales for backward. */
    private void dropout(int n, SplittableRandom random) {
        float p = (float) s.dropout();
        float scale = 1f / (1f - p);
        for (int k = 0; k < n * d; k++) {
            keep[k] = (random.nextInt() >>> 8) * 0x1p-24f < p ? 0f : scale;
            queryD[k] = queryP[k] * keep[k];
        }
    }

    /**
     * One row-wise Adagrad step on every trainable row whose summed gradient is not zero, clearing the sums for
     * the next batch in the same pass.
     */
    private void stepAndClear(EmbeddingPartition p, float[] g, float lr) {
        float maxNorm = (float) s.maxNorm();
        for (int row = 0; row < p.rows; row++) {
            if (!Rows.isZero(g, row, d)) {
                if (row >= p.frozenRows) {
                    RowAdagrad.update(p.embeddings, p.state, row, g, row * d, d, lr, maxNorm);
                }
                Arrays.fill(g, row * d, (row + 1) * d, 0f);
            }
        }
    }

    /**
     * Every row of one partition as the comparator scores it: the rows themselves when nothing changes them,
     * else copies with the type's global embedding added and then prepared; with the gradient back to the rows.
     */
    private final class Candidates {
        private final float[] rawScratch;
        private final float[] preparedScratch;
        private final float[] gradientScratch;
        /** The comparator's gradient on {@link #prepared}, written by each block. */
        final float[] gradientP;

        float[] raw;
        float[] prepared;
        int rows;

        Candidates(int maxRows) {
            boolean anyGlobal = Arrays.stream(params.global).anyMatch(g -> g != null);
            boolean transforms = comparator.transformsRows();
            rawScratch = anyGlobal ? new float[maxRows * d] : null;
            preparedScratch = transforms ? new float[maxRows * d] : null;
            gradientP = plainDot ? null : new float[maxRows * d];
            gradientScratch = transforms ? new float[maxRows * d] : null;
        }

        Candidates load(EmbeddingPartition p) {
            rows = p.rows;
            float[] global = params.global[p.type];
            if (global == null) {
                raw = p.embeddings;
            } else {
                raw = rawScratch;
                for (int row = 0; row < rows; row++) {
                    int o = row * d;
                    for (int k = 0; k < d; k++) {
                        raw[o + k] = p.embeddings[o + k] + global[k];
                    }
                }
            }
            prepared = raw;
            if (comparator.transformsRows()) {
                prepared = preparedScratch;
                comparator.prepare(raw, prepared, rows, d);
            }
            return this;
        }

        /** Adds the gradient on the rows (through prepare) of the last block to {@code out}. */
        void addGradient(float[] out) {
            float[] g = gradientP;
            if (comparator.transformsRows()) {
                comparator.prepareBackward(raw, gradientP, gradientScratch, rows, d);
                g = gradientScratch;
            }
            for (int k = 0; k < rows * d; k++) {
                out[k] += g[k];
            }
        }
    }
}
