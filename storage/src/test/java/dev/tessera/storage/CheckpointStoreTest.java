package dev.tessera.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged commits (a checkpoint moving to a grown graph commits with the graph's write, or not at all), and
 * partition writes through ingested files.
 */
class CheckpointStoreTest {
    private static final String OLD = "graph before";
    private static final String GROWN = "graph after";

    @Test
    void aStagedCheckpointCommitsWhenOpenedWithTheGraphItWasStagedFor(@TempDir Path tmp) {
        Path dir = tmp.resolve("ck");
        float[] rows = {1, 2, 3, 4, 5, 6};
        try (CheckpointStore ck = CheckpointStore.openOrCreate(dir, OLD)) {
            ck.writePartition(1, 0, 0, new float[] {9, 9, 9, 9}, new float[2], 2, 2);
            ck.commit(checkpoint(1));
            ck.writePartition(2, 0, 0, rows, new float[3], 3, 2);
            ck.stage(checkpoint(2), GROWN);
        }
        // The graph's write did not happen: the old graph still opens it, at the old version.
        try (CheckpointStore ck = CheckpointStore.openExisting(dir, OLD)) {
            assertEquals(1, ck.latest().orElseThrow().version());
        }
        // It did: the grown graph completes the commit, and the staged rows are the latest.
        try (CheckpointStore ck = CheckpointStore.openExisting(dir, GROWN)) {
            assertEquals(2, ck.latest().orElseThrow().version());
            float[] read = new float[6];
            ck.readPartition(2, 0, 0, read, null, 3, 2);
            assertArrayEquals(rows, read);
        }
        // Now committed for good: the old graph is refused, and reopening with the grown one changes nothing.
        StorageException e = assertThrows(StorageException.class, () -> CheckpointStore.openExisting(dir, OLD));
        assertTrue(e.getMessage().contains("belongs to another graph"), e.getMessage());
        try (CheckpointStore ck = CheckpointStore.openExisting(dir, GROWN)) {
            assertEquals(2, ck.latest().orElseThrow().version());
        }
    }

    @Test
    void aCommittedCheckpointIsWholeInTheFilesBeforeTheStoreCloses(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ck");
        Path crashed = tmp.resolve("crashed");
        float[] rows = {1, 2, 3, 4, 5, 6};
        float[] relation = {0.5f, -0.25f};
        try (CheckpointStore ck = CheckpointStore.openOrCreate(dir, OLD)) {
            ck.writePartition(1, 0, 0, rows, new float[3], 3, 2);
            ck.writeParams(1, 0, relation, new float[] {7, 8});
            ck.commit(checkpoint(1));
            // The files as a process killed right after the commit leaves them: no close, no flush.
            try (var files = Files.list(dir)) {
                Files.createDirectories(crashed);
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, crashed.resolve(f.getFileName()));
                }
            }
        }
        try (CheckpointStore ck = CheckpointStore.openExisting(crashed, OLD)) {
            assertEquals(1, ck.latest().orElseThrow().version());
            float[] read = new float[6];
            ck.readPartition(1, 0, 0, read, null, 3, 2);
            assertArrayEquals(rows, read);
            float[] values = new float[2];
            float[] state = new float[2];
            ck.readParams(1, 0, values, state);
            assertArrayEquals(relation, values);
            assertArrayEquals(new float[] {7, 8}, state);
        }
    }

    @Test
    void partitionWritesReportTheRowsStoredAndReadsAskBeforeOverwritingEachBlock(@TempDir Path tmp) {
        int block = CheckpointStore.ROWS_PER_BLOCK;
        int rows = 2 * block + 5;
        float[] embeddings = new float[rows];
        for (int i = 0; i < rows; i++) {
            embeddings[i] = i;
        }
        List<Integer> stored = new java.util.ArrayList<>();
        List<Integer> asked = new java.util.ArrayList<>();
        float[] read = new float[rows];
        try (CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), OLD)) {
            ck.writePartition(1, 0, 0, embeddings, new float[rows], rows, 1, stored::add);
            ck.readPartition(1, 0, 0, read, new float[rows], rows, 1, end -> {
                // Nothing at or past the first row this call asks for has been overwritten yet.
                int from = asked.isEmpty() ? 0 : asked.get(asked.size() - 1);
                for (int i = from; i < rows; i++) {
                    assertEquals(0f, read[i], "row " + i + " written before it was asked for");
                }
                asked.add(end);
            });
        }
        assertEquals(List.of(block, 2 * block, rows), stored);
        assertEquals(List.of(block, 2 * block, rows), asked);
        assertArrayEquals(embeddings, read);
    }

    @Test
    void aStagedCheckpointIsNoPassForAGraphItWasNotStagedFor(@TempDir Path tmp) {
        Path dir = tmp.resolve("ck");
        try (CheckpointStore ck = CheckpointStore.openOrCreate(dir, OLD)) {
            ck.writePartition(1, 0, 0, new float[2], new float[1], 1, 2);
            ck.commit(checkpoint(1));
            ck.stage(checkpoint(2), GROWN);
        }
        StorageException e = assertThrows(
                StorageException.class, () -> CheckpointStore.openExisting(dir, "graph grown by another update"));
        assertTrue(e.getMessage().contains("belongs to another graph"), e.getMessage());
        try (CheckpointStore ck = CheckpointStore.openExisting(dir, OLD)) {
            assertEquals(1, ck.latest().orElseThrow().version());
        }
    }

    /** Within an epoch a partition is written back at every eviction, into the same version: the last wins. */
    @Test
    void aPartitionWrittenAgainIntoItsVersionReadsAsTheLastWrite(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ck");
        int rows = CheckpointStore.ROWS_PER_BLOCK + 3;
        try (CheckpointStore ck = CheckpointStore.openOrCreate(dir, OLD)) {
            for (int write = 1; write <= 3; write++) {
                ck.writePartition(1, 0, 0, filled(2 * rows, write), filled(rows, -write), rows, 2);
                ck.writePartition(1, 0, 1, filled(2 * rows, 10 * write), filled(rows, 0), rows, 2);
            }
            float[] embeddings = new float[2 * rows];
            float[] state = new float[rows];
            ck.readPartition(1, 0, 0, embeddings, state, rows, 2);
            assertArrayEquals(filled(2 * rows, 3), embeddings);
            assertArrayEquals(filled(rows, -3), state);
            ck.readPartition(1, 0, 1, embeddings, state, rows, 2);
            assertArrayEquals(filled(2 * rows, 30), embeddings);
            try (var left = Files.list(dir.resolve("ingest"))) {
                assertEquals(0, left.count(), "files written for ingestion are left behind");
            }
        }
    }

    /** A crash between writing a partition's file and ingesting it leaves the file: opening removes it. */
    @Test
    void filesACrashLeftBeforeIngestionAreRemovedOnOpen(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ck");
        try (CheckpointStore ck = CheckpointStore.openOrCreate(dir, OLD)) {
            ck.writePartition(1, 0, 0, filled(4, 7), new float[2], 2, 2);
            ck.commit(checkpoint(1));
        }
        Path left = dir.resolve("ingest").resolve("v2-t0-p0-1-embeddings.sst");
        Files.write(left, new byte[] {1, 2, 3});
        try (CheckpointStore ck = CheckpointStore.openExisting(dir, OLD)) {
            assertFalse(Files.exists(left));
            float[] read = new float[4];
            ck.readPartition(1, 0, 0, read, null, 2, 2);
            assertArrayEquals(filled(4, 7), read);
        }
    }

    /** The best validated state travels in the pointer: a run killed after it resumes knowing it. */
    @Test
    void theBestValidatedStateSurvivesReopening(@TempDir Path tmp) {
        Path dir = tmp.resolve("ck");
        Checkpoint.Best best = new Checkpoint.Best(4, 0.4321, new int[][] {{3, 4}, {2}}, 4);
        try (CheckpointStore ck = CheckpointStore.openOrCreate(dir, OLD)) {
            ck.commit(new Checkpoint(6, 6, new int[][] {{6, 5}, {6}}, 6, 2, List.of()).withBest(best));
        }
        try (CheckpointStore ck = CheckpointStore.openExisting(dir, OLD)) {
            Checkpoint read = ck.latest().orElseThrow();
            assertEquals(4, read.best().epochs());
            assertEquals(0.4321, read.best().validMrr());
            assertArrayEquals(new int[] {3, 4}, read.best().partitionVersion()[0]);
            assertArrayEquals(new int[] {2}, read.best().partitionVersion()[1]);
            assertEquals(4, read.best().paramsVersion());
            Checkpoint restored = read.restoredToBest();
            assertEquals(6, restored.version(), "a resumed run writes past every version used");
            assertEquals(6, restored.epochs());
            assertEquals(4, restored.paramsVersion());
            assertArrayEquals(new int[] {3, 4}, restored.partitionVersion()[0]);
        }
        try (CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("plain"), OLD)) {
            ck.commit(checkpoint(1));
            assertEquals(null, ck.latest().orElseThrow().best());
        }
    }

    private static float[] filled(int size, float value) {
        float[] x = new float[size];
        java.util.Arrays.fill(x, value);
        return x;
    }

    private static Checkpoint checkpoint(int version) {
        return new Checkpoint(version, 1, new int[][] {{version}}, version, 2, List.of());
    }
}
