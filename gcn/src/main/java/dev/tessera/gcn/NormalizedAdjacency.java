package dev.tessera.gcn;

/**
 * Kipf &amp; Welling's propagation matrix {@code Â = D^-1/2 (A + I) D^-1/2} for an undirected graph. Every
 * edge is taken in both directions, an edge listed twice (or in both directions) counts once, edges from a
 * node to itself are dropped and the identity added once, so every node has exactly one self-loop of
 * weight 1 whatever the input held. The result is symmetric, so it is its own transpose.
 */
public final class NormalizedAdjacency {
    private NormalizedAdjacency() {}

    /** {@code Â} over nodes {@code 0..n-1} from edge endpoints {@code src[i] — dst[i]}. */
    public static CsrMatrix of(int n, int[] src, int[] dst) {
        SymmetricAdjacency a = SymmetricAdjacency.of(n, src, dst, true);
        int[] start = a.rowStart();
        int[] cols = a.neighbours();
        float[] invSqrtDegree = new float[n];
        for (int v = 0; v < n; v++) {
            invSqrtDegree[v] = (float) (1.0 / Math.sqrt(a.degree(v)));
        }
        float[] values = new float[cols.length];
        for (int v = 0; v < n; v++) {
            for (int i = start[v]; i < start[v + 1]; i++) {
                values[i] = invSqrtDegree[v] * invSqrtDegree[cols[i]];
            }
        }
        return new CsrMatrix(n, n, start, cols, values).symmetric();
    }
}
