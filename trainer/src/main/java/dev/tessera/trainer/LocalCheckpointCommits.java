package dev.tessera.trainer;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import java.nio.file.Path;
import java.util.Optional;

/** A single machine's checkpoints: this process owns the checkpoint store and commits into it directly. */
public final class LocalCheckpointCommits implements CheckpointCommits {
    private final CheckpointStore checkpoints;

    public LocalCheckpointCommits(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Override
    public ResumePoint resumePoint(TesseraConfig config, int dimension, int[] partsOfType) {
        return ResumePoint.of(checkpoints, config, dimension, partsOfType);
    }

    @Override
    public void commit(Checkpoint checkpoint, int previousVersion) {
        checkpoints.commit(checkpoint);
        VersionCollector.dropUnreferenced(checkpoints, previousVersion, checkpoint);
    }

    @Override
    public Optional<CheckpointStore> localStore() {
        return Optional.of(checkpoints);
    }

    @Override
    public Path reportDirectory() {
        return checkpoints.dir();
    }
}
