package dev.tessera.trainer;

import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import java.util.HashSet;
import java.util.Set;

/** Deletes checkpoint data versions that no committed checkpoint refers to any more. */
final class VersionCollector {
    private VersionCollector() {}

    /**
     * Deletes versions up to {@code upTo} that {@code now} leaves out: neither its partitions nor its parameters
     * nor its best validated state's live there.
     */
    static void dropUnreferenced(CheckpointStore checkpoints, int upTo, Checkpoint now) {
        Set<Integer> referenced = new HashSet<>();
        addVersions(referenced, now.partitionVersion(), now.paramsVersion());
        if (now.best() != null) {
            addVersions(referenced, now.best().partitionVersion(), now.best().paramsVersion());
        }
        for (int v = 1; v <= upTo; v++) {
            if (!referenced.contains(v)) {
                checkpoints.deleteVersion(v);
            }
        }
    }

    private static void addVersions(Set<Integer> into, int[][] partitionVersion, int paramsVersion) {
        for (int[] row : partitionVersion) {
            for (int v : row) {
                into.add(v);
            }
        }
        into.add(paramsVersion);
    }
}
