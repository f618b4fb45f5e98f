package dev.tessera.trainer;

import java.util.Arrays;

/**
 * A block of 1-vs-all queries, each a relation and the row its query is made from, with its positives: the
 * rows it must rank first and their weights (relation weight × edge weight). Under {@code 1_vs_all} every edge
 * is its own query; under {@code k_vs_all} adjacent edges sharing relation and query row share one, so their
 * products are computed once. Reused block after block: one per {@link OneVsAllTrainer} and side.
 */
final class QueryBlock {
    final int capacity;
    int n;
    final int[] rel;
    final int[] row;
    /** Query i's positives are {@code [first[i], first[i + 1])}. */
    final int[] first;

    int[] target;
    float[] weight;
    private int positives;

    QueryBlock(int capacity) {
        this.capacity = capacity;
        rel = new int[capacity];
        row = new int[capacity];
        first = new int[capacity + 1];
        target = new int[capacity];
        weight = new float[capacity];
    }

    /** Edges {@code [a, a + count)} as one query each: rows from {@code queryRows}, positives from {@code targetRows}. */
    void ofEdges(
            int[] edgeRel,
            int[] queryRows,
            int[] targetRows,
            float[] edgeWeight,
            float[] relationWeight,
            int a,
            int count) {
        n = 0;
        positives = 0;
        for (int e = a; e < a + count; e++) {
            add(edgeRel, queryRows, targetRows, edgeWeight, relationWeight, e, true);
        }
        first[n] = positives;
    }

    /**
     * The whole queries from edge {@code a} on, at most {@link #capacity} of them and none past {@code end}: a
     * query is a run of adjacent edges with the same relation and query row. Returns the edge after the last.
     */
    int ofQueries(
            int[] edgeRel,
            int[] queryRows,
            int[] targetRows,
            float[] edgeWeight,
            float[] relationWeight,
            int a,
            int end) {
        n = 0;
        positives = 0;
        int e = a;
        for (; e < end; e++) {
            boolean newQuery = e == a || edgeRel[e] != edgeRel[e - 1] || queryRows[e] != queryRows[e - 1];
            if (newQuery && n == capacity) {
                break;
            }
            add(edgeRel, queryRows, targetRows, edgeWeight, relationWeight, e, newQuery);
        }
        first[n] = positives;
        return e;
    }

    private void add(
            int[] edgeRel,
            int[] queryRows,
            int[] targetRows,
            float[] edgeWeight,
            float[] relationWeight,
            int e,
            boolean newQuery) {
        if (newQuery) {
            rel[n] = edgeRel[e];
            row[n] = queryRows[e];
            first[n] = positives;
            n++;
        }
        if (positives == target.length) {
            target = Arrays.copyOf(target, positives * 2);
            weight = Arrays.copyOf(weight, positives * 2);
        }
        target[positives] = targetRows[e];
        weight[positives] = relationWeight[edgeRel[e]] * (edgeWeight == null ? 1f : edgeWeight[e]);
        positives++;
    }

    /** The summed weight of query i's positives. */
    float weights(int i) {
        float w = 0;
        for (int p = first[i]; p < first[i + 1]; p++) {
            w += weight[p];
        }
        return w;
    }

    /** Whether every query has exactly one positive. */
    boolean singles() {
        return first[n] == n;
    }

    /** Positives per query, or null when each has one (N3 weighs a query's rows by its positives). */
    int[] counts(int[] into) {
        if (singles()) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            into[i] = first[i + 1] - first[i];
        }
        return into;
    }
}
