package dev.tessera.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A graph and its checkpoint opened as one: the fingerprint check, staged roll-forward and who closes what. */
class TrainedGraphTest {
    @TempDir
    Path tmp;

    private Path graph() {
        Path dir = tmp.resolve("graph");
        Map<Split, long[][]> edges = new EnumMap<>(Split.class);
        edges.put(Split.TRAIN, new long[3][3]);
        try (GraphStore store = GraphStore.create(dir)) {
            store.writeMeta(new GraphMeta(
                    GraphStoreTest.schema(),
                    3,
                    Map.of("user", new long[] {1, 1, 1}, "item", new long[] {1}),
                    edges,
                    Map.of()));
        }
        return dir;
    }

    private static String fingerprint(Path graph) {
        try (GraphStore g = GraphStore.openReadOnly(graph)) {
            return g.meta().fingerprint();
        }
    }

    @Test
    void opensTheGraphWithItsCheckpointAndRollsAStagedUpdateForward() {
        Path graph = graph();
        Path ck = tmp.resolve("ck");
        try (CheckpointStore c = CheckpointStore.openOrCreate(ck, "the graph before an update")) {
            c.commit(new Checkpoint(1, 1, new int[][] {{1}}, 1, 2, List.of()));
            c.stage(new Checkpoint(2, 1, new int[][] {{1}}, 1, 2, List.of()), fingerprint(graph));
        }
        try (TrainedGraph t = TrainedGraph.open(graph, ck)) {
            assertEquals(3, t.graph().meta().numPartitions());
            assertEquals(2, t.checkpoint().latest().orElseThrow().version());
        }
        // Both were closed: the checkpoint (locked while open) opens again.
        try (CheckpointStore c = CheckpointStore.openExisting(ck, fingerprint(graph))) {
            assertEquals(2, c.latest().orElseThrow().version());
        }
    }

    @Test
    void refusesACheckpointOfAnotherGraphOrNone() {
        Path graph = graph();
        Path ck = tmp.resolve("ck");
        StorageException none = assertThrows(StorageException.class, () -> TrainedGraph.open(graph, ck));
        assertEquals(ck + " is not a checkpoint directory (train into it first)", none.getMessage());
        try (CheckpointStore c = CheckpointStore.openOrCreate(ck, "another graph")) {
            c.commit(new Checkpoint(1, 1, new int[][] {{1}}, 1, 2, List.of()));
        }
        StorageException other = assertThrows(StorageException.class, () -> TrainedGraph.open(graph, ck));
        assertTrue(other.getMessage().contains("belongs to another graph"), other.getMessage());
    }

    @Test
    void keepingTheGraphReleasesTheCheckpoint() {
        Path graph = graph();
        Path ck = tmp.resolve("ck");
        try (CheckpointStore c = CheckpointStore.openOrCreate(ck, fingerprint(graph))) {
            c.commit(new Checkpoint(1, 1, new int[][] {{1}}, 1, 2, List.of()));
        }
        GraphStore kept;
        try (TrainedGraph t = TrainedGraph.open(graph, ck)) {
            kept = t.keepGraph();
            assertThrows(IllegalStateException.class, t::checkpoint);
            try (CheckpointStore c = CheckpointStore.openExisting(ck, fingerprint(graph))) {
                assertEquals(1, c.latest().orElseThrow().version());
            }
        }
        try (kept) {
            assertEquals(3, kept.meta().numPartitions());
        }
    }
}
