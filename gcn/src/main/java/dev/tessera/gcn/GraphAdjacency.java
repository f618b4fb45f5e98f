package dev.tessera.gcn;

import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.util.Arrays;

/**
 * The edges of a stored graph as node-number endpoint arrays, every relation and every split together (for
 * node classification the edges are the graph, not the prediction target), read bucket by bucket.
 */
public final class GraphAdjacency {
    private GraphAdjacency() {}

    /** {@code [0]} sources, {@code [1]} destinations. */
    public static int[][] endpoints(GraphStore store, NodeIndex index) {
        GraphMeta meta = store.meta();
        var relations = meta.schema().relations();
        int[] lhsType = new int[relations.size()];
        int[] rhsType = new int[relations.size()];
        for (int r = 0; r < relations.size(); r++) {
            lhsType[r] = meta.schema().entityTypeId(relations.get(r).lhs());
            rhsType[r] = meta.schema().entityTypeId(relations.get(r).rhs());
        }
        long total = 0;
        for (Split split : Split.values()) {
            total += meta.edgeCount(split);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(total + " edges are too many for an in-memory adjacency");
        }
        int[] src = new int[(int) total];
        int[] dst = new int[(int) total];
        int n = 0;
        int parts = meta.numPartitions();
        for (Split split : Split.values()) {
            for (int lp = 0; lp < parts; lp++) {
                for (int rp = 0; rp < parts; rp++) {
                    try (EdgeBlockCursor cursor = store.edges(split, lp, rp)) {
                        while (cursor.hasNext()) {
                            EdgeBlock b = cursor.next();
                            for (int i = 0; i < b.size(); i++) {
                                int r = b.rel()[i];
                                src[n] = index.node(lhsType[r], partOf(index, lhsType[r], lp), b.lhs()[i]);
                                dst[n] = index.node(rhsType[r], partOf(index, rhsType[r], rp), b.rhs()[i]);
                                n++;
                            }
                        }
                    }
                }
            }
        }
        return new int[][] {Arrays.copyOf(src, n), Arrays.copyOf(dst, n)};
    }

    /** An unpartitioned type keeps all its entities in partition 0 whatever bucket the edge is in. */
    private static int partOf(NodeIndex index, int type, int bucketPart) {
        return index.partitions(type) == 1 ? 0 : bucketPart;
    }
}
