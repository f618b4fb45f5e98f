package dev.tessera.trainer;

import dev.tessera.model.Loss;

/**
 * The loss of every positive of a {@link QueryBlock} against its query's row of scores, every other row a
 * negative, with its gradient on the scores. The first positive of each query goes through the loss with the
 * others' at once; a query's later positives (k_vs_all) one at a time, each adding to its query's row, or, for a
 * loss that normalises the whole row (softmax), all at once in the first one's term and an O(1) correction each.
 * Owns its scratch: one per trainer.
 */
final class QueryLosses {
    private final Loss loss;
    private final float[] pos;
    private final float[] dPos;
    private final float[] weights;
    /** One score row at a time for a query's second and later positives. */
    private final float[] row;

    private final float[] dRow;
    private final float[] one = new float[1];
    private final float[] dOne = new float[1];
    private final float[] oneWeight = new float[1];

    /** For blocks of up to {@code queries} queries, each scored against {@code rows} rows. */
    QueryLosses(Loss loss, int queries, int rows) {
        this.loss = loss;
        pos = new float[queries];
        dPos = new float[queries];
        weights = new float[queries];
        row = new float[rows];
        dRow = new float[rows];
    }

    /**
     * The loss of {@code q}'s positives over {@code scores} (row i: query i against {@code m} rows); writes its
     * gradient to {@code dScores}. Leaves {@code scores} as it found them.
     */
    double compute(QueryBlock q, float[] scores, float[] dScores, int m) {
        int n = q.n;
        boolean shared = !q.singles() && loss.normalisesRow();
        for (int i = 0; i < n; i++) {
            int self = i * m + q.target[q.first[i]];
            pos[i] = scores[self];
            weights[i] = shared ? q.weights(i) : q.weight[q.first[i]];
            scores[self] = ChunkTrainer.EXCLUDED;
        }
        double value = loss.compute(pos, scores, weights, n, m, dPos, dScores);
        for (int i = 0; i < n; i++) {
            // The positive is its own row's score: its gradient joins that row's like any other's.
            int self = i * m + q.target[q.first[i]];
            scores[self] = pos[i];
            dScores[self] = dPos[i];
        }
        if (q.singles()) {
            return value;
        }
        if (shared) {
            // The row's term came weighted by all its positives' weights W: Σ_j w_j (N − s_j) is that, plus
            // W·s_first − Σ_j w_j·s_j, whose gradient moves W − w_first onto the first positive and −w_j onto the rest.
            for (int i = 0; i < n; i++) {
                int first = q.first[i];
                int o = i * m;
                value += weights[i] * pos[i];
                dScores[o + q.target[first]] += weights[i];
                for (int p = first; p < q.first[i + 1]; p++) {
                    value -= q.weight[p] * scores[o + q.target[p]];
                    dScores[o + q.target[p]] -= q.weight[p];
                }
            }
            return value;
        }
        for (int i = 0; i < n; i++) {
            for (int p = q.first[i] + 1; p < q.first[i + 1]; p++) {
                int t = q.target[p];
                System.arraycopy(scores, i * m, row, 0, m);
                one[0] = row[t];
                row[t] = ChunkTrainer.EXCLUDED;
                oneWeight[0] = q.weight[p];
                value += loss.compute(one, row, oneWeight, 1, m, dOne, dRow);
                dRow[t] = dOne[0];
                for (int j = 0, o = i * m; j < m; j++) {
                    dScores[o + j] += dRow[j];
                }
            }
        }
        return value;
    }
}
