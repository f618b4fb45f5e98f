package dev.tessera.gcn;

import java.util.Arrays;

/**
 * An undirected graph's neighbour lists in CSR form: every edge in both directions, each neighbour once per
 * list (sorted), self-loops dropped, then added once per node when asked (GCN's {@code A + I}).
 *
 * @param rowStart {@code nodes + 1} offsets into {@code neighbours}
 */
public record SymmetricAdjacency(int[] rowStart, int[] neighbours) {

    public int nodes() {
        return rowStart.length - 1;
    }

    public int degree(int node) {
        return rowStart[node + 1] - rowStart[node];
    }

    public static SymmetricAdjacency of(int n, int[] src, int[] dst, boolean selfLoops) {
        int m = src.length;
        if (dst.length != m) {
            throw new IllegalArgumentException("edge endpoint arrays differ in length");
        }
        int loop = selfLoops ? 1 : 0;
        int[] start = new int[n + 1];
        for (int i = 0; i < m; i++) {
            checkNode(src[i], n);
            checkNode(dst[i], n);
            if (src[i] != dst[i]) {
                start[src[i] + 1]++;
                start[dst[i] + 1]++;
            }
        }
        for (int v = 0; v < n; v++) {
            start[v + 1] += start[v] + loop;
        }
        int[] next = Arrays.copyOf(start, n);
        int[] col = new int[start[n]];
        if (selfLoops) {
            for (int v = 0; v < n; v++) {
                col[next[v]++] = v;
            }
        }
        for (int i = 0; i < m; i++) {
            if (src[i] != dst[i]) {
                col[next[src[i]]++] = dst[i];
                col[next[dst[i]]++] = src[i];
            }
        }
        // Sort and deduplicate each row in place: w never passes the start of the row being read.
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
        return new SymmetricAdjacency(outStart, Arrays.copyOf(col, w));
    }

    private static void checkNode(int v, int n) {
        if (v < 0 || v >= n) {
            throw new IllegalArgumentException("edge endpoint " + v + " is not a node of a " + n + "-node graph");
        }
    }
}
