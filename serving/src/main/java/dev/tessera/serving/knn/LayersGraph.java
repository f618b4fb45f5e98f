package dev.tessera.serving.knn;

import dev.tessera.storage.HnswGraphFile;
import java.util.Arrays;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.hnsw.HnswGraph;

/**
 * Lucene's view of a layered graph held as plain arrays ({@link HnswGraphFile.Layers}: what a build leaves and
 * what a saved index reads back). A view holds one neighbour cursor, so every search takes its own: the
 * arrays are shared and never written, which makes concurrent searches safe.
 */
final class LayersGraph extends HnswGraph {
    private final HnswGraphFile.Layers layers;
    private int[] list = new int[0];
    private int at;
    private int end;

    LayersGraph(HnswGraphFile.Layers layers) {
        this.layers = layers;
    }

    @Override
    public void seek(int level, int target) {
        int i = level == 0 ? target : Arrays.binarySearch(layers.nodes()[level], target);
        if (i < 0) {
            throw new IllegalStateException("row " + target + " is not on level " + level);
        }
        int[] starts = layers.starts()[level];
        list = layers.neighbours()[level];
        at = starts[i];
        end = starts[i + 1];
    }

    @Override
    public int size() {
        return layers.starts()[0].length - 1;
    }

    @Override
    public int nextNeighbor() {
        return at < end ? list[at++] : DocIdSetIterator.NO_MORE_DOCS;
    }

    @Override
    public int numLevels() {
        return layers.levels();
    }

    @Override
    public int entryNode() {
        return layers.entryNode();
    }

    @Override
    public NodesIterator getNodesOnLevel(int level) {
        return level == 0
                ? new ArrayNodesIterator(size())
                : new ArrayNodesIterator(layers.nodes()[level], layers.nodes()[level].length);
    }

    /** The graph a build made, as arrays: each level's rows ascending, each row's neighbours as Lucene chose them. */
    static HnswGraphFile.Layers of(HnswGraph graph) throws java.io.IOException {
        int levels = graph.numLevels();
        int[][] nodes = new int[levels][];
        int[][] starts = new int[levels][];
        int[][] neighbours = new int[levels][];
        for (int l = 0; l < levels; l++) {
            int[] onLevel = NodesIterator.getSortedNodes(graph.getNodesOnLevel(l));
            nodes[l] = l == 0 ? null : onLevel;
            starts[l] = new int[onLevel.length + 1];
            int[] out = new int[Math.max(16, onLevel.length * 4)];
            int size = 0;
            for (int i = 0; i < onLevel.length; i++) {
                graph.seek(l, onLevel[i]);
                for (int v = graph.nextNeighbor(); v != DocIdSetIterator.NO_MORE_DOCS; v = graph.nextNeighbor()) {
                    if (size == out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    out[size++] = v;
                }
                starts[l][i + 1] = size;
            }
            neighbours[l] = Arrays.copyOf(out, size);
        }
        return new HnswGraphFile.Layers(graph.size() == 0 ? 0 : graph.entryNode(), nodes, starts, neighbours);
    }
}
