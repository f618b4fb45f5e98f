package dev.tessera.gcn;

import dev.tessera.storage.GraphStore;
import java.nio.file.Path;

/** Each node's class ({@code -1}: unlabelled), the class names, and the train / validation / test nodes. */
public record NodeSplits(int[] classOf, java.util.List<String> classNames, int[] train, int[] valid, int[] test) {

    public int classes() {
        return classNames.size();
    }

    public int[] labelsOf(int[] nodes) {
        int[] labels = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            labels[i] = classOf[nodes[i]];
        }
        return labels;
    }

    /** Reads the label file and the three node lists, every node checked against the graph. */
    public static NodeSplits load(GraphStore store, NodeIndex index, Path labels, Path train, Path valid, Path test) {
        NodeFiles.Labels l = NodeFiles.labels(labels, store, index);
        return new NodeSplits(
                l.classOf(),
                l.classNames(),
                NodeFiles.nodeList(train, store, index, l),
                NodeFiles.nodeList(valid, store, index, l),
                NodeFiles.nodeList(test, store, index, l));
    }
}
