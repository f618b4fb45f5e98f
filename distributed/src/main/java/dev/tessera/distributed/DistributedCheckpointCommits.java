package dev.tessera.distributed;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.PartitionFiles;
import dev.tessera.trainer.CheckpointCommits;
import dev.tessera.trainer.LocalCheckpointCommits;
import dev.tessera.trainer.ResumePoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of distributed training keep the single-machine rule: at an epoch's end every home has written
 * its partitions as SST files into the shared checkpoint directory; rank 0 waits for all of them, ingests
 * them, writes the parameters and flips the version pointer in one write. The other trainers wait for that
 * commit before their next epoch, so a checkpoint is never half of one epoch and half of the next.
 *
 * <p>Of each partition, rank 0 ingests the file its current home wrote: a trainer taken for dead may have
 * left files (whole or half written) that its partitions' new homes write again.
 */
final class DistributedCheckpointCommits implements CheckpointCommits {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedCheckpointCommits.class);

    private final Rpc rpc;
    private final StartupCheckpoint startup;
    private final CheckpointStore ownStore;
    private final CommitCoordinator coordinator;
    private final Path stagingRoot;
    private final long timeoutNanos;
    private final EpochCounters counters;
    private final ResumePoint rankZeroStart;

    /** A trainer's running totals, reported at each epoch's end. */
    record EpochCounters(LongSupplier edges, LongSupplier bytesSent, LongSupplier bytesReceived) {}

    /**
     * @param ownStore    rank 0's writable store (null on other ranks)
     * @param coordinator rank 0's commit coordinator (null on other ranks)
     * @param rankZeroStart where rank 0 found the run starts, before any other trainer opened the checkpoint
     *     (null on other ranks)
     */
    DistributedCheckpointCommits(
            Rpc rpc,
            StartupCheckpoint startup,
            CheckpointStore ownStore,
            CommitCoordinator coordinator,
            Path stagingRoot,
            long timeoutNanos,
            EpochCounters counters,
            ResumePoint rankZeroStart) {
        this.rpc = rpc;
        this.rankZeroStart = rankZeroStart;
        this.startup = startup;
        this.ownStore = ownStore;
        this.coordinator = coordinator;
        this.stagingRoot = stagingRoot;
        this.timeoutNanos = timeoutNanos;
        this.counters = counters;
    }

    @Override
    public ResumePoint resumePoint(TesseraConfig config, int dimension, int[] partsOfType) {
        return rankZeroStart != null
                ? rankZeroStart
                : ResumePoint.read(startup.store(), config, dimension, partsOfType);
    }

    @Override
    public void commit(Checkpoint checkpoint, int previousVersion) {
        int version = checkpoint.version();
        long edges = counters.edges().getAsLong();
        long sent = counters.bytesSent().getAsLong();
        long received = counters.bytesReceived().getAsLong();
        if (ownStore == null) {
            rpc.call(
                    RemoteBucketSchedule.LOCK_SERVER,
                    MessageType.EPOCH_END,
                    w -> w.putInt(0, checkpoint.epochs() - 1)
                            .putInt(4, version)
                            .putLong(8, edges)
                            .putLong(16, sent)
                            .putLong(24, received),
                    timeoutNanos,
                    "rank 0's commit of checkpoint version " + version);
            return;
        }
        coordinator.report(new CommitCoordinator.TrainerEpoch(0, version, edges, sent, received));
        coordinator.awaitOthers(version, timeoutNanos);
        List<Map<String, Object>> history = checkpoint.history();
        if (!history.isEmpty()) {
            coordinator.describe(version, history.get(history.size() - 1));
        }
        Path dir = RemotePartitionStore.stagingDirectory(stagingRoot, version);
        int[][] shape = checkpoint.partitionVersion();
        List<PartitionFiles> files =
                StagedPartitionFiles.awaitAll(dir, shape, coordinator::homes, rpc.node(), timeoutNanos);
        ownStore.ingestPartitionFiles(files);
        new LocalCheckpointCommits(ownStore).commit(checkpoint, previousVersion);
        deleteTree(dir);
        LOG.info(
                "checkpoint version {} committed: {} partition files from {} trainers",
                version,
                files.size(),
                coordinator.liveTrainers());
        coordinator.committed(version, checkpoint.epochs() - 1);
    }

    @Override
    public Path reportDirectory() {
        return ownStore != null ? ownStore.dir() : null;
    }

    /** Removes a directory and what is in it (staging leftovers of an interrupted run, or an ingested epoch's). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
