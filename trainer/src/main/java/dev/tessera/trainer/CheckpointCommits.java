package dev.tessera.trainer;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run resumes and how each epoch's checkpoint becomes the committed one: the seam beside the three
 * that feed the loop. On one machine the trainer's own checkpoint store ({@link LocalCheckpointCommits});
 * across machines only rank 0 writes the checkpoint database, once every home has written its partitions,
 * and the other trainers wait for that commit before their next epoch.
 */
public interface CheckpointCommits {
    /** Where the run starts; refuses a checkpoint trained with another model. */
    ResumePoint resumePoint(TesseraConfig config, int dimension, int[] partsOfType);

    /**
     * Commits {@code checkpoint}, whose data (partitions and parameters) is written, in place of the one at
     * version {@code previousVersion}, and drops the data no checkpoint refers to any more.
     */
    void commit(Checkpoint checkpoint, int previousVersion);

    /**
     * The checkpoint store, where this process commits into it itself (one machine): validation during
     * training ranks the committed checkpoint from there. Empty across machines.
     */
    default Optional<CheckpointStore> localStore() {
        return Optional.empty();
    }

    /** The directory this trainer's {@code report.html} goes to; null when another trainer writes it. */
    Path reportDirectory();
}
