package dev.tessera.gcn;

import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;

/**
 * Numbers every entity of a stored graph 0..n-1: the row of a node in GCN matrices. Message passing treats all
 * entity types as one node set. The stored numbering goes type by type, partition by partition, in offset
 * order; {@link #renumbered} puts a permutation of it on top (a {@link NodeOrder}).
 */
public final class NodeIndex {
    private final int[][] base; // [type][part] → first stored number
    private final int size;
    private final int[] nodeOfStored; // null: nodes are the stored numbers
    private final int[] storedOfNode;

    private NodeIndex(int[][] base, int size, int[] nodeOfStored, int[] storedOfNode) {
        this.base = base;
        this.size = size;
        this.nodeOfStored = nodeOfStored;
        this.storedOfNode = storedOfNode;
    }

    /** This index with node {@code v} renumbered to {@code newOfOld[v]} (a permutation of its nodes). */
    public NodeIndex renumbered(int[] newOfOld) {
        if (newOfOld.length != size) {
            throw new IllegalArgumentException("a renumbering of " + newOfOld.length + " nodes for " + size);
        }
        int[] nodeOf = new int[size];
        int[] storedOf = new int[size];
        java.util.Arrays.fill(storedOf, -1);
        for (int s = 0; s < size; s++) {
            int node = newOfOld[node(s)];
            if (node < 0 || node >= size || storedOf[node] >= 0) {
                throw new IllegalArgumentException("not a permutation: node " + node + " given twice or out of range");
            }
            nodeOf[s] = node;
            storedOf[node] = s;
        }
        return new NodeIndex(base, size, nodeOf, storedOf);
    }

    private int node(int stored) {
        return nodeOfStored == null ? stored : nodeOfStored[stored];
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
        return new NodeIndex(base, (int) next, null, null);
    }

    public int size() {
        return size;
    }

    public int node(int type, int part, int offset) {
        return node(base[type][part] + offset);
    }

    public int node(EntityRef e) {
        return node(e.type(), e.part(), e.offset());
    }

    public EntityRef entity(int node) {
        if (node < 0 || node >= size) {
            throw new IllegalArgumentException("node " + node + " is not in [0, " + size + ")");
        }
        int stored = storedOfNode == null ? node : storedOfNode[node];
        for (int t = 0; t < base.length; t++) {
            int[] b = base[t];
            if (stored >= b[0] && stored < b[b.length - 1]) {
                int p = java.util.Arrays.binarySearch(b, stored);
                p = p >= 0 ? lastPartStartingAt(b, p) : -p - 2;
                return new EntityRef(t, p, stored - b[p]);
            }
        }
        throw new IllegalStateException("stored number " + stored + " is in no partition");
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
                int type = t;
                int part = p;
                store.forEachName(t, p, (name, offset) -> names[node(type, part, offset)] = name);
            }
        }
        return names;
    }
}
