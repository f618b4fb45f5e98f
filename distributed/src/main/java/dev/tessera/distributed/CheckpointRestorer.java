package dev.tessera.distributed;

import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.trainer.EmbeddingPartition;
import dev.tessera.trainer.TrainingSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a partition a trainer adopts from a dead one as the last committed checkpoint holds it: rank 0 reads
 * its own store, any other trainer opens the shared checkpoint read-only for the read. Where no checkpoint
 * holds the partition yet it gets its initial values, as at the run's start.
 */
final class CheckpointRestorer implements HomeAdoption.Restorer {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRestorer.class);
    private static final int TRIES = 3;

    private final Path checkpoint;
    private final String graphFingerprint;
    private final CheckpointStore own;
    private final TrainingSettings settings;

    /** @param own rank 0's open store, or null on other ranks */
    CheckpointRestorer(Path checkpoint, String graphFingerprint, CheckpointStore own, TrainingSettings settings) {
        this.checkpoint = checkpoint;
        this.graphFingerprint = graphFingerprint;
        this.own = own;
        this.settings = settings;
    }

    @Override
    public int restore(EmbeddingPartition p) {
        if (own != null) {
            return restoreFrom(own, p);
        }
        // Rank 0 may be committing an epoch right then; a read-only open that meets it half done is tried again.
        for (int attempt = 1; ; attempt++) {
            try (CheckpointStore store = CheckpointStore.openReadOnly(checkpoint, graphFingerprint)) {
                return restoreFrom(store, p);
            } catch (RuntimeException e) {
                if (attempt == TRIES) {
                    throw e;
                }
                LOG.warn(
                        "reading partition {}/{} from {} failed (try {} of {}): {}",
                        p.type,
                        p.part,
                        checkpoint,
                        attempt,
                        TRIES,
                        e.getMessage());
                LockSupport.parkNanos(200_000_000L * attempt);
            }
        }
    }

    private int restoreFrom(CheckpointStore store, EmbeddingPartition p) {
        Optional<Checkpoint> last = store.latest();
        int version = last.map(c -> c.partitionVersion()[p.type][p.part]).orElse(0);
        if (version > 0) {
            store.readPartition(version, p.type, p.part, p.embeddings, p.state, p.rows, p.d);
        } else {
            p.initialize(settings.initScale(), settings.seed());
        }
        return version;
    }
}
