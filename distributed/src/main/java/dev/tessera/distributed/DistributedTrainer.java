package dev.tessera.distributed;

import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.trainer.ResumePoint;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingConfig;
import dev.tessera.trainer.TrainingListener;
import dev.tessera.trainer.TrainingSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trainer of a distributed run (DESIGN.md §6): the same {@link Trainer} loop as on one machine, over
 * seams that reach the other trainers through Aeron. Every trainer is the home of the partitions
 * {@code part mod trainers == rank}; rank 0 also hosts the lock server, the parameter server and the
 * checkpoint commit. However the trainers are started (processes on one machine, a Spark barrier stage),
 * each calls {@link #run} with its rank and everyone's endpoints.
 */
public final class DistributedTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    /** What a trainer needs to know to take part. */
    public record Spec(
            int rank,
            List<InetSocketAddress> endpoints,
            Path graph,
            Path checkpoint,
            TesseraConfig config,
            DistributedSettings settings) {
        public Spec {
            endpoints = List.copyOf(endpoints);
            if (rank < 0 || rank >= endpoints.size()) {
                throw new IllegalArgumentException("rank " + rank + " of " + endpoints.size() + " trainers");
            }
        }
    }

    /**
     * What a trainer's run did. {@code epochs}, {@code trainerEpochs} and the parameter server's numbers
     * are rank 0's view of the whole job (empty or 0 on other ranks); the partition numbers are this
     * trainer's own fetches and returns.
     */
    public record Result(
            int rank,
            int trainers,
            Trainer.Result training,
            List<Map<String, Object>> epochs,
            List<Map<String, Object>> trainerEpochs,
            long bytesSent,
            long bytesReceived,
            long homeBytes,
            long partitionBytesMoved,
            double partitionTransferSeconds,
            double maxSecondsBetweenParameterPushes,
            long refusedJoins,
            long badFrames) {}

    private DistributedTrainer() {}

    /** Trains as trainer {@code spec.rank()} until the configured epochs are done; {@code listener} sees its buckets. */
    public static Result run(Spec spec, DenseBackend backend, TrainingListener listener) {
        return run(spec, backend, listener, new TrainerAbort());
    }

    /** As {@link #run(Spec, DenseBackend, TrainingListener)}, stoppable from another thread through {@code abort}. */
    public static Result run(Spec spec, DenseBackend backend, TrainingListener listener, TrainerAbort abort) {
        DistributedSettings ds = spec.settings();
        int rank = spec.rank();
        try (GraphStore graph = GraphStore.openReadOnly(spec.graph())) {
            GraphMeta meta = graph.meta();
            TesseraConfig config = TrainingConfig.merge(meta.schema(), spec.config());
            requireDistributable(config, meta);
            TrainingSettings s = TrainingSettings.of(config);
            int[] parts = config.entities().stream()
                    .mapToInt(EntityTypeConfig::numPartitions)
                    .toArray();
            long[][] rowsOf = new long[parts.length][];
            for (int t = 0; t < parts.length; t++) {
                rowsOf[t] = meta.entityCounts(config.entities().get(t).name());
            }
            Path staging = spec.checkpoint().resolve("distributed");
            CheckpointStore own =
                    rank == 0 ? CheckpointStore.openOrCreate(spec.checkpoint(), meta.fingerprint()) : null;
            StartupCheckpoint startup = rank == 0
                    ? StartupCheckpoint.shared(own)
                    : StartupCheckpoint.opened(
                            () -> CheckpointStore.openReadOnly(spec.checkpoint(), meta.fingerprint()));
            ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "tessera-trainer-" + rank + "-sender");
                t.setDaemon(true);
                return t;
            });
            try (AeronNode node = new AeronNode(rank, spec.endpoints(), ds.transferTimeoutNanos(), abort)) {
                ResumePoint rankZeroStart = null;
                if (rank == 0) {
                    DistributedCheckpointCommits.deleteTree(staging); // a crashed run's files are never ingested
                    rankZeroStart = ResumePoint.of(own, config, s.dimension(), parts);
                    own.flush(); // before any other trainer opens the store read-only
                }
                Rpc rpc = new Rpc(node, new Replies(rank), ds.chunkFloats());
                PartitionServer homes = new PartitionServer(
                        rpc,
                        sender,
                        rowsOf,
                        s.dimension(),
                        new CheckpointRestorer(spec.checkpoint(), meta.fingerprint(), own, s));
                Membership membership = null;
                LockServer lockServer = null;
                ParameterServer parameterServer = null;
                CommitCoordinator coordinator = null;
                if (rank == 0) {
                    membership = new Membership(
                            rpc, ds.secretFile() == null ? null : Handshake.ofSecretFile(ds.secretFile()));
                    lockServer = new LockServer(
                            meta,
                            s.bucketOrder(),
                            s.bufferPartitions(),
                            s.seed(),
                            node.trainers(),
                            ds.leaseTimeoutNanos(),
                            ds.deadAfterNanos());
                    parameterServer = new ParameterServer(rpc, sender, lockServer::isAlive);
                    coordinator = new CommitCoordinator(rpc, lockServer);
                }
                TrainerRoles roles = new TrainerRoles(rpc, homes, membership, lockServer, parameterServer, coordinator);
                node.start(roles);
                if (rank == 0) {
                    membership.awaitAll(ds.joinTimeoutNanos());
                } else {
                    join(rpc, ds); // only then is rank 0's store flushed for the read-only opening
                }
                abort.jobStarted();
                PartitionFetcher fetcher = new PartitionFetcher(
                        rpc, homes, s.dimension(), rowsOf, ds.transferTimeoutNanos(), 2 * ds.leaseTimeoutNanos());
                RemotePartitionStore partitions = new RemotePartitionStore(
                        fetcher, homes, graph, s, rowsOf, startup, staging, ds.transferTimeoutNanos());
                RemoteBucketSchedule schedule = new RemoteBucketSchedule(
                        rpc,
                        meta,
                        homes,
                        partitions::giveBackAll,
                        partitions::returnMoved,
                        ds.requestTimeoutNanos(),
                        ds.leaseTimeoutNanos());
                roles.schedule(schedule);
                RemoteSharedParameters parameters = new RemoteSharedParameters(
                        rpc,
                        config,
                        s,
                        graph,
                        startup,
                        own,
                        parameterServer,
                        ds.syncIntervalNanos(),
                        ds.requestTimeoutNanos());
                EpochEdges edges = new EpochEdges(listener, lockServer);
                DistributedCheckpointCommits commits = new DistributedCheckpointCommits(
                        rpc,
                        startup,
                        own,
                        coordinator,
                        staging,
                        ds.commitTimeoutNanos(),
                        new DistributedCheckpointCommits.EpochCounters(
                                edges::edges, node::bytesSent, node::bytesReceived),
                        rankZeroStart);
                Trainer.Result r;
                try {
                    r = new Trainer(
                                    graph,
                                    config,
                                    backend,
                                    new Trainer.Seams(schedule, partitions, parameters, commits))
                            .train(edges);
                } finally {
                    parameters.stopSync();
                }
                if (rank == 0) {
                    membership.turnAwayRejoins();
                    membership.awaitLeft(ds.joinTimeoutNanos(), lockServer::isAlive);
                } else {
                    leave(rpc);
                }
                LOG.info(
                        "trainer {}: {} epochs, {} partitions fetched, {} MB sent, {} MB received, {} parameter "
                                + "exchanges, {} waits for a free bucket, {} lapsed leases, {} buckets handed back, "
                                + "{} stale returns dropped",
                        rank,
                        r.epochs(),
                        fetcher.fetches(),
                        node.bytesSent() >> 20,
                        node.bytesReceived() >> 20,
                        parameters.exchanges(),
                        schedule.waits(),
                        schedule.lapses(),
                        schedule.abandonedBuckets(),
                        fetcher.staleReturns());
                return new Result(
                        rank,
                        node.trainers(),
                        r,
                        rank == 0 ? epochRecords(lockServer) : List.of(),
                        rank == 0 ? trainerRecords(coordinator) : List.of(),
                        node.bytesSent(),
                        node.bytesReceived(),
                        homes.homeBytes(),
                        fetcher.bytesFetched() + fetcher.bytesReturned(),
                        fetcher.transferSeconds(),
                        rank == 0 ? parameterServer.maxSecondsBetweenPushes() : 0,
                        rank == 0 ? membership.refused() : 0,
                        node.badFrames());
            } finally {
                sender.shutdownNow();
                startup.close();
                if (own != null) {
                    own.close();
                }
            }
        }
    }

    /**
     * Refuses what distributed training cannot split: a type with a single partition (every bucket would need
     * it, so two trainers could never train at once) or a featurized type (its feature table would have to
     * be shared row by row).
     */
    static void requireDistributable(TesseraConfig config, GraphMeta meta) {
        for (EntityTypeConfig t : config.entities()) {
            if (t.featurized()) {
                throw new IllegalArgumentException("entity type '" + t.name() + "' is featurized: distributed "
                        + "training does not support featurized types yet; train it with one trainer");
            }
            if (t.numPartitions() != meta.numPartitions() || meta.numPartitions() < 2) {
                throw new IllegalArgumentException("entity type '" + t.name() + "' has " + t.numPartitions()
                        + " partition(s): distributed training needs every type split into the graph's P = "
                        + meta.numPartitions() + " ≥ 2 partitions (re-import with num_partitions set for all types)");
            }
        }
    }

    /**
     * Joins the job at rank 0: a JOIN every second until its answer comes (rank 0 may not be listening yet, or
     * still waiting for others: it answers the latest JOIN of each trainer), then the challenge if it asks.
     */
    private static void join(Rpc rpc, DistributedSettings ds) {
        int trainers = rpc.node().trainers();
        long instance = ThreadLocalRandom.current().nextLong();
        long deadline = System.nanoTime() + ds.joinTimeoutNanos();
        Message m = null;
        while (m == null) {
            try {
                m = rpc.call(
                        0,
                        MessageType.JOIN,
                        w -> w.putInt(0, trainers).putLong(8, instance),
                        1_000_000_000L,
                        "joining the job at rank 0");
            } catch (TransferException e) {
                if (System.nanoTime() > deadline) {
                    throw new TransferException("rank 0 at " + rpc.node().endpoint(0) + " did not welcome trainer "
                            + rpc.node().rank() + " within " + ds.joinTimeoutNanos() / 1_000_000_000 + " s");
                }
            }
        }
        if (m.type() == MessageType.CHALLENGE) {
            if (ds.secretFile() == null) {
                throw new TransferException("rank 0 asks for a shared secret: give this trainer the job's secret file");
            }
            byte[] nonce = new byte[Handshake.NONCE_BYTES];
            m.bytesAt(0, nonce);
            byte[] proof = Handshake.ofSecretFile(ds.secretFile())
                    .proof(nonce, rpc.node().rank());
            m = rpc.call(
                    0,
                    MessageType.PROOF,
                    w -> w.putBytes(0, proof),
                    ds.joinTimeoutNanos(),
                    "answering rank 0's challenge");
        }
        if (m.type() == MessageType.WELCOME && m.intAt(0) == Membership.JOB_OVER) {
            throw new TransferException("the job at rank 0 (" + rpc.node().endpoint(0) + ") finished before trainer "
                    + rpc.node().rank() + " could join it");
        }
        if (m.type() != MessageType.WELCOME || m.intAt(0) != Membership.WELCOME) {
            throw new TransferException("rank 0 at " + rpc.node().endpoint(0) + " refused trainer "
                    + rpc.node().rank() + " (a wrong shared secret, or a different number of trainers)");
        }
        LOG.info("trainer {} joined the job of {} trainers", rpc.node().rank(), trainers);
    }

    private static void leave(Rpc rpc) {
        try {
            rpc.call(0, MessageType.LEAVE, w -> w.putInt(0, 0), 10_000_000_000L, "saying goodbye to rank 0");
        } catch (TransferException e) {
            LOG.debug("rank 0 did not see this trainer leave: {}", e.getMessage());
        }
    }

    private static List<Map<String, Object>> epochRecords(LockServer lockServer) {
        return lockServer.history().stream().map(EpochRecord::toMap).toList();
    }

    private static List<Map<String, Object>> trainerRecords(CommitCoordinator coordinator) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CommitCoordinator.TrainerEpoch e : coordinator.reports()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trainer", e.rank());
            m.put("version", e.version());
            m.put("edges", e.edges());
            m.put("bytes_sent", e.bytesSent());
            m.put("bytes_received", e.bytesReceived());
            out.add(m);
        }
        return out;
    }

    /**
     * Keeps the edges this trainer trained in the current epoch, and passes buckets on to the caller's
     * listener: on rank 0 with the edges all trainers have trained (from the lock server), so its progress
     * line is the whole job's, and to a {@link JobProgress.Listener} with the job's state.
     */
    private static final class EpochEdges implements TrainingListener {
        private final TrainingListener next;
        private final LockServer job;
        private volatile long edges;
        private double jobEdgesPerSecond;

        EpochEdges(TrainingListener next, LockServer job) {
            this.next = next;
            this.job = job;
        }

        long edges() {
            return edges;
        }

        @Override
        public void onBucket(int epoch, int bucket, int buckets, long done, long total, double loss) {
            edges = done;
            if (job == null) {
                next.onBucket(epoch, bucket, buckets, done, total, loss);
                return;
            }
            JobProgress p = job.progress();
            next.onBucket(epoch, bucket, buckets, Math.max(done, p.edges()), total, loss);
            if (next instanceof JobProgress.Listener l) {
                l.onJobProgress(p);
            }
        }

        @Override
        public void onEpoch(int epoch, double loss, double edgesPerSecond) {
            edges = 0;
            next.onEpoch(epoch, loss, jobEdgesPerSecond > 0 ? jobEdgesPerSecond : edgesPerSecond);
        }

        @Override
        public void onCheckpoint(dev.tessera.storage.Checkpoint checkpoint) {
            // Rank 0's commit added the job's rate to the epoch's record: the epoch line reports that.
            List<Map<String, Object>> history = checkpoint.history();
            if (job != null
                    && !history.isEmpty()
                    && history.get(history.size() - 1).get("job_edges_per_s") instanceof Number rate) {
                jobEdgesPerSecond = rate.doubleValue();
            }
            next.onCheckpoint(checkpoint);
        }
    }
}
