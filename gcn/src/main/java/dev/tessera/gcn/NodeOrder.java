package dev.tessera.gcn;

/**
 * A locality-preserving numbering of a graph's nodes: breadth-first order (Cuthill–McKee's, each component
 * started from its node of least degree), so that a node's neighbours get numbers near its own and near
 * each other. In {@code Â · H} the rows of H a row of {@code Â} gathers then sit close together and stay in
 * cache from one row to the next, where in an arbitrary numbering each is a fetch from memory. Stored entity
 * numbers follow partitions and import order, which carry no locality.
 */
public final class NodeOrder {
    private NodeOrder() {}

    /** {@code newOfOld[v]}: the breadth-first number of node {@code v}; a permutation of {@code 0..n-1}. */
    public static int[] breadthFirst(SymmetricAdjacency graph) {
        int n = graph.nodes();
        int[] rowStart = graph.rowStart();
        int[] neighbours = graph.neighbours();
        int[] newOfOld = new int[n];
        java.util.Arrays.fill(newOfOld, -1);
        int[] queue = new int[n]; // queue[i]: the node numbered i; also the BFS queue, read at head
        int head = 0;
        int tail = 0;
        for (int start : byAscendingDegree(graph)) {
            if (newOfOld[start] >= 0) {
                continue;
            }
            newOfOld[start] = tail;
            queue[tail++] = start;
            while (head < tail) {
                int v = queue[head++];
                for (int i = rowStart[v]; i < rowStart[v + 1]; i++) {
                    int u = neighbours[i];
                    if (newOfOld[u] < 0) {
                        newOfOld[u] = tail;
                        queue[tail++] = u;
                    }
                }
            }
        }
        return newOfOld;
    }

    /** Nodes by degree, least first (counting sort: degrees are below n). */
    private static int[] byAscendingDegree(SymmetricAdjacency graph) {
        int n = graph.nodes();
        int[] start = new int[n + 2];
        for (int v = 0; v < n; v++) {
            start[graph.degree(v) + 1]++;
        }
        for (int d = 0; d <= n; d++) {
            start[d + 1] += start[d];
        }
        int[] sorted = new int[n];
        for (int v = 0; v < n; v++) {
            sorted[start[graph.degree(v)]++] = v;
        }
        return sorted;
    }

    /** Replaces every node number in {@code nodes} by its new one. */
    public static void renumber(int[] nodes, int[] newOfOld) {
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = newOfOld[nodes[i]];
        }
    }
}
