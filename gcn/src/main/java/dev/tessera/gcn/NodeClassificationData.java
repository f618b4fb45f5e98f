package dev.tessera.gcn;

import dev.tessera.core.util.IntList;
import dev.tessera.storage.FeatureStore;
import dev.tessera.storage.GraphStore;
import java.nio.file.Path;

/**
 * Everything full-batch node classification needs in memory: {@code Â} over all nodes, the feature matrix
 * (sparse), each node's class and the three node splits.
 */
public record NodeClassificationData(
        NodeIndex index, CsrMatrix adjacency, NodeMatrix.Sparse features, NodeSplits splits) {

    public int classes() {
        return splits.classes();
    }

    public int[] train() {
        return splits.train();
    }

    public int[] valid() {
        return splits.valid();
    }

    public int[] test() {
        return splits.test();
    }

    /**
     * Reads the graph and its stored features into memory, then the label and split files; with {@code
     * renumberNodes} the nodes are numbered in {@link NodeOrder#breadthFirst} order first.
     */
    public static NodeClassificationData load(
            GraphStore store,
            Path labelsFile,
            Path trainFile,
            Path validFile,
            Path testFile,
            boolean normalizeFeatures,
            boolean renumberNodes) {
        NodeIndex index = NodeIndex.of(store.meta());
        int[][] edges = GraphAdjacency.endpoints(store, index);
        if (renumberNodes) {
            int[] newOfOld = NodeOrder.breadthFirst(SymmetricAdjacency.of(index.size(), edges[0], edges[1], false));
            NodeOrder.renumber(edges[0], newOfOld);
            NodeOrder.renumber(edges[1], newOfOld);
            index = index.renumbered(newOfOld);
        }
        CsrMatrix adjacency = NormalizedAdjacency.of(index.size(), edges[0], edges[1]);
        CsrMatrix features = storedFeatures(store, index);
        if (normalizeFeatures) {
            features = features.rowNormalized();
        }
        return new NodeClassificationData(
                index,
                adjacency,
                new NodeMatrix.Sparse(features),
                NodeSplits.load(store, index, labelsFile, trainFile, validFile, testFile));
    }

    /** The stored feature rows as one sparse node × feature matrix (nodes without a row are all zero). */
    static CsrMatrix storedFeatures(GraphStore store, NodeIndex index) {
        FeatureStore features = new FeatureStore(store);
        int dimension = features.require().dimension();
        IntList rows = new IntList();
        IntList cols = new IntList();
        FloatList vals = new FloatList();
        for (int t = 0; t < index.types(); t++) {
            for (int p = 0; p < index.partitions(t); p++) {
                int type = t;
                int part = p;
                features.forEachRow(t, p, row -> {
                    int node = index.node(type, part, row.entity().offset());
                    for (int i = 0; i < row.columns().length; i++) {
                        if (row.values()[i] != 0f) {
                            rows.add(node);
                            cols.add(row.columns()[i]);
                            vals.add(row.values()[i]);
                        }
                    }
                });
            }
        }
        return CsrMatrix.fromCoordinates(index.size(), dimension, rows.toArray(), cols.toArray(), vals.toArray());
    }
}
