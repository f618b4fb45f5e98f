package dev.tessera.trainer;

import dev.tessera.storage.CheckpointStore;
import java.util.HashSet;
import java.util.Set;

/** Deletes checkpoint data versions that no committed checkpoint refers to any more. */
final class VersionCollector {
    private VersionCollector() {}

    /** Deletes versions up to {@code upTo} that {@code now} (the new checkpoint's partition versions) leaves out. */
    static void dropUnreferenced(CheckpointStore checkpoints, int upTo, int[][] now) {
        Set<Integer> referenced = new HashSet<>();
        for (int[] row : now) {
            for (int v : row) {
                referenced.add(v);
            }
        }
        for (int v = 1; v <= upTo; v++) {
            if (!referenced.contains(v)) {
                checkpoints.deleteVersion(v);
            }
        }
    }
}
