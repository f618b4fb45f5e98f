package dev.tessera.gcn;

import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;

/**
 * Numbers every entity of a stored graph 0..n-1 (type by type, partition by partition, offset order): the
 * row of a node in GCN matrices. Message passing treats all entity types as one node set.
 */
public final class NodeIndex {
    private final int[][] base; // [type][part] → first node number
    private final int size;

    private NodeIndex(int[][] base, int size) {
        this.base = base;
        this.size = size;
    }

    public static NodeIndex of(GraphMeta meta) {
        var types = meta.schema().entities();
        int[][] base = new int[types.size()][];
        long next = 0;
        for (int t = 0; t < types.size(); t++) {
            EntityTypeConfig type = types.get(t);
            long[] counts = meta.entityCounts(type.name());
            base[t] = new int[counts.length + 1];
            for (int p = 0; p < counts.length; p++) {
                base[t][p] = (int) next;
                next += counts[p];
            }
            base[t][counts.length] = (int) next;
        }
        if (next > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("a graph of " + next + " nodes is too large for one GCN node index");
        }
        return new NodeIndex(base, (int) next);
    }

    public int size() {
        return size;
    }

    public int node(int type, int part, int offset) {
        return base[type][part] + offset;
    }

    public int node(EntityRef e) {
        return node(e.type(), e.part(), e.offset());
    }

    public EntityRef entity(int node) {
        for (int t = 0; t < base.length; t++) {
            int[] b = base[t];
            if (node >= b[0] && node < b[b.length - 1]) {
                int p = java.util.Arrays.binarySearch(b, node);
                p = p >= 0 ? lastPartStartingAt(b, p) : -p - 2;
                return new EntityRef(t, p, node - b[p]);
            }
        }
        throw new IllegalArgumentException("node " + node + " is not in [0, " + size + ")");
    }

    /** With empty partitions several parts share a start; the node belongs to the last of them. */
    private static int lastPartStartingAt(int[] b, int p) {
        while (p + 1 < b.length - 1 && b[p + 1] == b[p]) {
            p++;
        }
        return p;
    }

    public int types() {
        return base.length;
    }

    public int partitions(int type) {
        return base[type].length - 1;
    }

    /** The names of all nodes, in node order. */
    public String[] names(GraphStore store) {
        String[] names = new String[size];
        for (int t = 0; t < base.length; t++) {
            for (int p = 0; p < partitions(t); p++) {
                int first = base[t][p];
                store.forEachName(t, p, (name, offset) -> names[first + offset] = name);
            }
        }
        return names;
    }
}
