package dev.tessera.distributed;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a trainer's received messages (on the poller's thread): replies to the requests awaiting them,
 * requests to the roles this trainer plays (every trainer is a partition server; rank 0 is also the lock
 * server, the parameter server and the commit coordinator). Rank 0 serves nobody it has not admitted.
 */
final class TrainerRoles implements AeronNode.Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerRoles.class);
    private static final long LEASE_CHECK_NANOS = 100_000_000;

    private final Rpc rpc;
    private final PartitionServer partitions;
    private final Membership membership;
    private final LockServer lockServer;
    private final ParameterServer parameterServer;
    private final CommitCoordinator coordinator;
    private final AtomicLong unadmitted = new AtomicLong();
    private volatile RemoteBucketSchedule schedule;
    private long lastLeaseCheck;

    /** Rank 0's roles after {@code partitions}; null on other ranks. */
    TrainerRoles(
            Rpc rpc,
            PartitionServer partitions,
            Membership membership,
            LockServer lockServer,
            ParameterServer parameterServer,
            CommitCoordinator coordinator) {
        this.rpc = rpc;
        this.partitions = partitions;
        this.membership = membership;
        this.lockServer = lockServer;
        this.parameterServer = parameterServer;
        this.coordinator = coordinator;
    }

    /** The schedule whose lease this trainer's heartbeats renew. */
    void schedule(RemoteBucketSchedule s) {
        this.schedule = s;
    }

    @Override
    public void onMessage(Message m) {
        MessageType t = m.type();
        boolean rankZero = membership != null;
        if (t == MessageType.JOIN || t == MessageType.PROOF) {
            if (rankZero) {
                if (t == MessageType.JOIN) {
                    membership.onJoin(m);
                } else {
                    membership.onProof(m);
                }
            }
            return;
        }
        if (isReply(m)) {
            rpc.replies().dispatch(m);
            return;
        }
        if (rankZero && !membership.isAdmitted(m.senderRank())) {
            long n = unadmitted.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("dropped {} from trainer {}, which has not joined ({} such messages)", t, m.senderRank(), n);
            }
            return;
        }
        switch (t) {
            case PARTITION_FETCH -> partitions.onFetch(m);
            case PARTITION_RELEASE -> {
                if (m.senderRank() == RemoteBucketSchedule.LOCK_SERVER) {
                    partitions.onRelease(m.intAt(0));
                }
            }
            case PARTITION_CHUNK -> partitions.onReturnChunk(m);
            case HOME_MAP -> {
                if (m.senderRank() == RemoteBucketSchedule.LOCK_SERVER) {
                    onHomeMap(m);
                }
            }
            case BUCKET_REQUEST, BUCKET_DONE, HEARTBEAT, PARAMETER_CHUNK, EPOCH_END, LEAVE, PARTITION_RECOVERED -> {
                if (rankZero) {
                    onRankZeroRequest(m);
                }
            }
            default -> LOG.debug("ignored an unexpected {} from trainer {}", t, m.senderRank());
        }
    }

    /**
     * Replies are told apart by type; of the chunk types, a parameter chunk by its reply flag (rank 0 pushes
     * to its own server too), a partition chunk by carrying this trainer's correlation id (a trainer never
     * transfers partitions to itself).
     */
    private boolean isReply(Message m) {
        return switch (m.type()) {
            case CHALLENGE, WELCOME, ACK, BUCKET_REPLY, EPOCH_COMMITTED -> true;
            case PARAMETER_CHUNK -> (m.intAt(ParameterServer.FLAGS) & ParameterServer.REPLY) != 0;
            case PARTITION_CHUNK -> rpc.replies().isMine(m.correlation());
            default -> false;
        };
    }

    private void onRankZeroRequest(Message m) {
        int peer = m.senderRank();
        long now = System.nanoTime();
        switch (m.type()) {
            case BUCKET_REQUEST -> {
                HomeMap homes = lockServer.homes();
                if (m.intAt(16) < homes.version()) {
                    // Before the grant, on the same stream: the asker fetches the bucket's partitions from their homes.
                    sendHomeMap(peer, homes);
                }
                LockServer.Grant g = lockServer.request(peer, m.intAt(0), m.intAt(4), m.intAt(8), now);
                rpc.reply(
                        peer,
                        m.correlation(),
                        MessageType.BUCKET_REPLY,
                        w -> w.putInt(0, m.intAt(0))
                                .putInt(4, g.status())
                                .putInt(8, g.lhs())
                                .putInt(12, g.rhs())
                                .putInt(16, g.index())
                                .putInt(20, g.buckets())
                                .putLong(24, g.lease()));
            }
            case BUCKET_DONE -> {
                int status = m.intAt(4) == RemoteBucketSchedule.ABANDONED
                        ? lockServer.abandoned(peer, m.intAt(0), m.longAt(8))
                        : lockServer.finished(peer, m.intAt(0), m.longAt(8), m.longAt(16), m.longAt(24));
                rpc.reply(peer, m.correlation(), MessageType.ACK, w -> w.putInt(0, status));
            }
            case HEARTBEAT -> lockServer.heartbeat(peer, m.longAt(0), now);
            case PARAMETER_CHUNK -> parameterServer.onChunk(m);
            case EPOCH_END -> coordinator.onEpochEnd(m);
            case LEAVE -> membership.onLeave(m);
            case PARTITION_RECOVERED -> lockServer.recovered(m.intAt(0), m.intAt(4), peer);
            default -> {}
        }
    }

    @Override
    public boolean awaitingReply() {
        return rpc.replies().awaiting();
    }

    @Override
    public void onTick(long now) {
        RemoteBucketSchedule s = schedule;
        if (s != null) {
            s.heartbeatIfDue(now);
        }
        if (lockServer != null && now - lastLeaseCheck > LEASE_CHECK_NANOS) {
            lastLeaseCheck = now;
            for (int silent : lockServer.silentTrainers(now)) {
                releaseEverywhere(silent);
            }
            if (!lockServer.deadTrainers(now).isEmpty()) {
                announceHomes();
            }
            if (lockServer.acceptsJoiners()) {
                for (Map.Entry<Integer, Long> joiner : membership.takeRejoins().entrySet()) {
                    letIn(joiner.getKey(), joiner.getValue(), now);
                }
            }
        }
    }

    /** Sends the current homes to every live trainer, and to this one's partition server. */
    private void announceHomes() {
        HomeMap homes = lockServer.homes();
        partitions.onHomeMap(homes);
        for (int r = 1; r < rpc.node().trainers(); r++) {
            if (lockServer.isAlive(r)) {
                sendHomeMap(r, homes);
            }
        }
    }

    /**
     * Lets a restarted trainer in: the instance it replaces is taken for dead (its partitions go home, its own
     * move), then the new one is sent the homes and, on the same stream after them, its welcome.
     */
    private void letIn(int rank, long correlation, long now) {
        if (lockServer.rejoin(rank, now)) {
            releaseEverywhere(rank);
        }
        announceHomes();
        membership.welcomeBack(rank, correlation);
    }

    private void onHomeMap(Message m) {
        HomeMap map =
                HomeMap.decode(m, rpc.node().trainers(), partitions.homes().partitions());
        if (map == null) {
            LOG.warn("ignored a malformed home map (wrong size, or naming trainers this job does not have)");
            return;
        }
        partitions.onHomeMap(map);
    }

    /** Tells trainer {@code peer} the current homes (a lost send is made good at its next bucket request). */
    private void sendHomeMap(int peer, HomeMap homes) {
        MessageWriter w = rpc.writer()
                .start(MessageType.HOME_MAP, rpc.node().rank(), rpc.replies().newId())
                .putInt(0, homes.version())
                .putInt(4, homes.partitions())
                .appendInts(homes.toArray());
        if (!rpc.node().trySend(peer, w, LEASE_CHECK_NANOS)) {
            LOG.warn("could not tell trainer {} the new homes", peer);
        }
    }

    /**
     * Tells every trainer to take back its home partitions that are out to the silent trainer {@code holder}:
     * their own copies are as the holder fetched them, so the holder's training of them is dropped, and
     * trainers waiting for them can go on instead of waiting for a trainer that may never return them.
     */
    private void releaseEverywhere(int holder) {
        for (int home = 0; home < rpc.node().trainers(); home++) {
            if (home == holder) {
                continue;
            }
            MessageWriter w = rpc.writer()
                    .start(
                            MessageType.PARTITION_RELEASE,
                            rpc.node().rank(),
                            rpc.replies().newId())
                    .putInt(0, holder);
            if (!rpc.node().trySend(home, w, LEASE_CHECK_NANOS)) {
                LOG.warn("could not tell trainer {} to take its partitions back from trainer {}", home, holder);
            }
        }
    }
}
