package dev.tessera.storage;

import java.nio.file.Path;

/**
 * A graph opened read-only together with a checkpoint trained on it: what evaluation, export, nearest
 * neighbours and serving all read. Opening checks that the checkpoint belongs to the graph (its fingerprint)
 * and rolls forward an update staged for the graph's current state ({@link CheckpointStore#openExisting}),
 * so every reader gets the same checks in one place. Owns both stores and closes both.
 */
public final class TrainedGraph implements AutoCloseable {
    private final GraphStore graph;
    private CheckpointStore checkpoint;
    private boolean graphKept;

    private TrainedGraph(GraphStore graph, CheckpointStore checkpoint) {
        this.graph = graph;
        this.checkpoint = checkpoint;
    }

    /** Opens the graph in {@code graphDir} read-only and its existing checkpoint in {@code checkpointDir}. */
    public static TrainedGraph open(Path graphDir, Path checkpointDir) {
        GraphStore graph = GraphStore.openReadOnly(graphDir);
        try {
            return new TrainedGraph(
                    graph,
                    CheckpointStore.openExisting(checkpointDir, graph.meta().fingerprint()));
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    public GraphStore graph() {
        return graph;
    }

    public CheckpointStore checkpoint() {
        if (checkpoint == null) {
            throw new IllegalStateException("the checkpoint was closed when the graph was kept");
        }
        return checkpoint;
    }

    /**
     * Closes the checkpoint now and hands the graph over to the caller, who closes it: for a reader that loads
     * the checkpoint whole and then serves from the graph, so that the checkpoint directory (locked while
     * open) is free for training again while it serves.
     */
    public GraphStore keepGraph() {
        closeCheckpoint();
        graphKept = true;
        return graph;
    }

    private void closeCheckpoint() {
        if (checkpoint != null) {
            checkpoint.close();
            checkpoint = null;
        }
    }

    @Override
    public void close() {
        try {
            closeCheckpoint();
        } finally {
            if (!graphKept) {
                graph.close();
            }
        }
    }
}
