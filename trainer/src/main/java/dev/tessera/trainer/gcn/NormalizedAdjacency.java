package dev.tessera.trainer.gcn;

import java.util.Arrays;

/**
 * Kipf &amp; Welling's propagation matrix {@code Â = D^-1/2 (A + I) D^-1/2} for an undirected graph. Every
 * edge is taken in both directions, an edge listed twice (or in both directions) counts once, edges from a
 * node to itself are dropped and the identity added once, so every node has exactly one self-loop of
 * weight 1 whatever the input held. The result is symmetric, so it is its own transpose.
 */
public final class NormalizedAdjacency {
    private NormalizedAdjacency() {
    }

    /** {@code Â} over nodes {@code 0..n-1} from edge endpoints {@code src[i] — dst[i]}. */
    public static CsrMatrix of(int n, int[] src, int[] dst) {
        int m = src.length;
        if (dst.length != m) {
            throw new IllegalArgumentException("edge endpoint arrays differ in length");
        }
        int[] degree = new int[n + 1];
        for (int i = 0; i < m; i++) {
            checkNode(src[i], n);
            checkNode(dst[i], n);
            if (src[i] != dst[i]) {
                degree[src[i] + 1]++;
                degree[dst[i] + 1]++;
            }
        }
        for (int v = 0; v < n; v++) {
            degree[v + 1] += degree[v] + 1; // + 1: the self-loop
        }
        int[] start = degree;
        int[] next = Arrays.copyOf(start, n);
        int[] col = new int[start[n]];
        for (int v = 0; v < n; v++) {
            col[next[v]++] = v;
        }
        for (int i = 0; i < m; i++) {
            if (src[i] != dst[i]) {
                col[next[src[i]]++] = dst[i];
                col[next[dst[i]]++] = src[i];
            }
        }
        // Sort and deduplicate each row; the row's length after that is the node's degree in A + I.
        int[] outStart = new int[n + 1];
        int w = 0;
        for (int v = 0; v < n; v++) {
            int from = start[v];
            int to = start[v + 1];
            Arrays.sort(col, from, to);
            int last = -1;
            for (int i = from; i < to; i++) {
                if (col[i] != last) {
                    last = col[i];
                    col[w++] = last;
                }
            }
            outStart[v + 1] = w;
        }
        float[] invSqrtDegree = new float[n];
        for (int v = 0; v < n; v++) {
            invSqrtDegree[v] = (float) (1.0 / Math.sqrt(outStart[v + 1] - outStart[v]));
        }
        int[] cols = Arrays.copyOf(col, w);
        float[] values = new float[w];
        for (int v = 0; v < n; v++) {
            for (int i = outStart[v]; i < outStart[v + 1]; i++) {
                values[i] = invSqrtDegree[v] * invSqrtDegree[cols[i]];
            }
        }
        return new CsrMatrix(n, n, outStart, cols, values).symmetric();
    }

    private static void checkNode(int v, int n) {
        if (v < 0 || v >= n) {
            throw new IllegalArgumentException("edge endpoint " + v + " is not a node of a " + n + "-node graph");
        }
    }
}
