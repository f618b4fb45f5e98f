package dev.tessera.distributed;

import dev.tessera.core.config.BucketOrderName;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.Split;
import dev.tessera.trainer.BucketOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out buckets to trainers (PyTorch-BigGraph's lock server): a bucket only when no other trainer holds
 * either of its partitions, preferring one that shares a partition with the asker's last bucket (its
 * partitions then stay where they are), every bucket with training edges exactly once per epoch, and an
 * epoch over when all are trained. Each grant is a lease: a trainer that neither finishes nor heartbeats
 * within the lease timeout loses it, and its bucket goes back to the pending ones.
 *
 * <p>Epochs move forward only: the first request for epoch e+1 after every bucket of e is done starts it.
 * Thread-safe (the poller calls it; tests call it directly).
 */
final class LockServer {
    private static final Logger LOG = LoggerFactory.getLogger(LockServer.class);

    private static final byte PENDING = 0;
    private static final byte LEASED = 1;
    private static final byte DONE = 2;

    /** The answer to a request. */
    record Grant(int status, int lhs, int rhs, int index, int buckets, long lease) {}

    /**
     * What one epoch's buckets were: how many, whether each was trained exactly once (counting only the
     * trainings the lock server accepted), by whom, the leases that lapsed: buckets whose training was
     * thrown away (and done again by another trainer), with their training edges; and how many grants were
     * handed back untrained (their partitions could not be had).
     */
    record EpochRecord(
            int epoch,
            int buckets,
            boolean eachOnce,
            int[] bucketsByRank,
            long[] edgesByRank,
            int lapsedLeases,
            long edgesLost,
            int abandoned) {}

    private final GraphMeta meta;
    private final BucketOrderName order;
    private final int bufferPartitions;
    private final long seed;
    private final int trainers;
    private final long leaseNanos;
    private final List<EpochRecord> history = new ArrayList<>();

    private int epoch = -1;
    private List<int[]> buckets = List.of();
    private byte[] state = new byte[0];
    private int[] holder;
    private long[] lease;
    private long[] deadline;
    private int[] timesTrained;
    private int[] bucketsByRank;
    private long[] edgesByRank;
    private final long[] bytesSentByRank;
    private long epochStartNanos;
    private int done;
    private long nextLease = 1;
    private long expired;
    private int lapsedThisEpoch;
    private long edgesLostThisEpoch;
    private int abandonedThisEpoch;
    /** When each trainer was last heard (0: not yet). */
    private final long[] lastHeard;
    /** Whether each trainer is silent now. */
    private final boolean[] silent;
    /** False from a trainer's going silent until its next request is answered LAPSED. */
    private final boolean[] toldOfLapse;

    LockServer(GraphMeta meta, BucketOrderName order, int bufferPartitions, long seed, int trainers, long leaseNanos) {
        this.meta = meta;
        this.order = order;
        this.bufferPartitions = bufferPartitions;
        this.seed = seed;
        this.trainers = trainers;
        this.leaseNanos = leaseNanos;
        this.bytesSentByRank = new long[trainers];
        this.lastHeard = new long[trainers];
        this.silent = new boolean[trainers];
        this.toldOfLapse = new boolean[trainers];
        Arrays.fill(toldOfLapse, true);
    }

    /**
     * A bucket for trainer {@code rank} in epoch {@code e}, preferring one that shares a partition with its
     * last bucket ({@code lastLhs}, {@code lastRhs}; −1 for none).
     */
    synchronized Grant request(int rank, int e, int lastLhs, int lastRhs, long now) {
        heard(rank, now);
        expireLeases(now);
        if (!toldOfLapse[rank]) {
            // It was silent: its partitions went home without its updates, and it must drop its copies.
            toldOfLapse[rank] = true;
            return new Grant(MessageType.LAPSED, -1, -1, -1, buckets.size(), 0);
        }
        if (e != epoch) {
            if (e == epoch + 1 && done == buckets.size() || epoch == -1) {
                startEpoch(e);
            } else if (e < epoch) {
                return new Grant(MessageType.EPOCH_DONE, -1, -1, -1, buckets.size(), 0);
            } else {
                // Epoch e+1 asked for while e is still training: the asker is ahead, it waits.
                return new Grant(MessageType.WAIT, -1, -1, -1, buckets.size(), 0);
            }
        }
        if (done == buckets.size()) {
            return new Grant(MessageType.EPOCH_DONE, -1, -1, -1, buckets.size(), 0);
        }
        boolean[] locked = lockedPartitions(rank);
        int chosen = -1;
        for (int i = 0; i < buckets.size(); i++) {
            int[] b = buckets.get(i);
            if (state[i] != PENDING || locked[b[0]] || locked[b[1]]) {
                continue;
            }
            boolean affine = b[0] == lastLhs || b[0] == lastRhs || b[1] == lastLhs || b[1] == lastRhs;
            if (affine) {
                chosen = i;
                break;
            }
            if (chosen < 0) {
                chosen = i;
            }
        }
        if (chosen < 0) {
            return new Grant(MessageType.WAIT, -1, -1, -1, buckets.size(), 0);
        }
        state[chosen] = LEASED;
        holder[chosen] = rank;
        lease[chosen] = nextLease++;
        deadline[chosen] = now + leaseNanos;
        int[] b = buckets.get(chosen);
        return new Grant(MessageType.GRANTED, b[0], b[1], chosen, buckets.size(), lease[chosen]);
    }

    /** Trainer {@code rank} trained the bucket of {@code leaseId}: {@link MessageType#OK}, or STALE for a lost lease. */
    synchronized int finished(int rank, int e, long leaseId, long edges, long bytesSent) {
        int i = bucketOf(leaseId);
        if (e != epoch || i < 0 || holder[i] != rank) {
            LOG.warn(
                    "trainer {} reported lease {} of epoch {} done, which it does not hold: ignored", rank, leaseId, e);
            return MessageType.STALE;
        }
        bytesSentByRank[rank] = Math.max(bytesSentByRank[rank], bytesSent);
        state[i] = DONE;
        timesTrained[i]++;
        bucketsByRank[rank]++;
        edgesByRank[rank] += edges;
        done++;
        if (done == buckets.size()) {
            recordEpoch();
        }
        return MessageType.OK;
    }

    /**
     * Trainer {@code rank} hands the bucket of {@code leaseId} back untrained (it could not get its partitions):
     * it is pending again, for any trainer; {@link MessageType#OK}, or STALE for a lease it no longer holds.
     */
    synchronized int abandoned(int rank, int e, long leaseId) {
        int i = bucketOf(leaseId);
        if (e != epoch || i < 0 || holder[i] != rank) {
            return MessageType.STALE;
        }
        LOG.warn(
                "trainer {} handed bucket ({}, {}) of epoch {} back untrained",
                rank,
                buckets.get(i)[0],
                buckets.get(i)[1],
                epoch + 1);
        state[i] = PENDING;
        holder[i] = -1;
        lease[i] = 0;
        abandonedThisEpoch++;
        return MessageType.OK;
    }

    /** Trainer {@code rank} is still training the bucket of {@code leaseId}. */
    synchronized void heartbeat(int rank, long leaseId, long now) {
        heard(rank, now);
        int i = bucketOf(leaseId);
        if (i >= 0 && holder[i] == rank) {
            deadline[i] = now + leaseNanos;
        }
    }

    /** Takes back buckets whose leases ran out, so other trainers can train them; their training is lost. */
    synchronized void expireLeases(long now) {
        for (int i = 0; i < state.length; i++) {
            if (state[i] == LEASED && now - deadline[i] > 0) {
                int[] b = buckets.get(i);
                long edges = meta.edgeCount(Split.TRAIN, b[0], b[1]);
                LOG.warn(
                        "trainer {} lost its lease on bucket ({}, {}) of epoch {}: no heartbeat for {} ms; its "
                                + "training of the bucket ({} edges) is lost and the bucket goes to another trainer",
                        holder[i],
                        b[0],
                        b[1],
                        epoch + 1,
                        leaseNanos / 1_000_000,
                        edges);
                state[i] = PENDING;
                holder[i] = -1;
                lease[i] = 0;
                expired++;
                lapsedThisEpoch++;
                edgesLostThisEpoch += edges;
            }
        }
    }

    /**
     * Trainers silent (no heartbeat, no request) for a lease timeout since this was last asked: each loses
     * its lease, its partitions are to be taken back from it, and its next request is answered LAPSED.
     */
    synchronized List<Integer> silentTrainers(long now) {
        expireLeases(now);
        List<Integer> newlySilent = new ArrayList<>();
        for (int r = 0; r < trainers; r++) {
            if (lastHeard[r] != 0 && !silent[r] && now - lastHeard[r] > leaseNanos) {
                silent[r] = true;
                toldOfLapse[r] = false;
                newlySilent.add(r);
                LOG.warn(
                        "trainer {} has been silent for {} ms: the partitions it holds go back to their homes",
                        r,
                        (now - lastHeard[r]) / 1_000_000);
            }
        }
        return newlySilent;
    }

    private void heard(int rank, long now) {
        if (silent[rank]) {
            silent[rank] = false;
            LOG.info("trainer {} is heard again after {} ms", rank, (now - lastHeard[rank]) / 1_000_000);
        }
        lastHeard[rank] = now;
    }

    synchronized List<EpochRecord> history() {
        return List.copyOf(history);
    }

    /** The current epoch as the job sees it, for its progress line. */
    synchronized JobProgress progress() {
        int n = buckets.size();
        return new JobProgress(
                epoch,
                done,
                n,
                (System.nanoTime() - epochStartNanos) / 1e9,
                edgesByRank == null ? new long[trainers] : edgesByRank.clone(),
                bytesSentByRank.clone());
    }

    synchronized long expiredLeases() {
        return expired;
    }

    private int bucketOf(long leaseId) {
        for (int i = 0; i < state.length; i++) {
            if (state[i] == LEASED && lease[i] == leaseId) {
                return i;
            }
        }
        return -1;
    }

    private boolean[] lockedPartitions(int asker) {
        boolean[] locked = new boolean[meta.numPartitions()];
        for (int p = 0; p < locked.length; p++) {
            // A silent home cannot send its partitions: a bucket needing one would only stall.
            locked[p] = silent[PartitionServer.homeOf(p, trainers)];
        }
        for (int i = 0; i < state.length; i++) {
            if (state[i] == LEASED && holder[i] != asker) {
                locked[buckets.get(i)[0]] = true;
                locked[buckets.get(i)[1]] = true;
            }
        }
        return locked;
    }

    private void startEpoch(int e) {
        List<int[]> all = BucketOrder.of(order, meta.numPartitions(), bufferPartitions, seed + e);
        List<int[]> withEdges = new ArrayList<>();
        for (int[] b : all) {
            if (meta.edgeCount(Split.TRAIN, b[0], b[1]) > 0) {
                withEdges.add(b);
            }
        }
        epoch = e;
        buckets = withEdges;
        int n = withEdges.size();
        state = new byte[n];
        holder = new int[n];
        Arrays.fill(holder, -1);
        lease = new long[n];
        deadline = new long[n];
        timesTrained = new int[n];
        bucketsByRank = new int[trainers];
        edgesByRank = new long[trainers];
        done = 0;
        lapsedThisEpoch = 0;
        abandonedThisEpoch = 0;
        edgesLostThisEpoch = 0;
        epochStartNanos = System.nanoTime();
        LOG.info("epoch {}: {} buckets for {} trainers", e + 1, n, trainers);
    }

    private void recordEpoch() {
        boolean once = Arrays.stream(timesTrained).allMatch(t -> t == 1);
        history.add(new EpochRecord(
                epoch,
                buckets.size(),
                once,
                bucketsByRank.clone(),
                edgesByRank.clone(),
                lapsedThisEpoch,
                edgesLostThisEpoch,
                abandonedThisEpoch));
        Map<Integer, Integer> byRank = new LinkedHashMap<>();
        for (int r = 0; r < trainers; r++) {
            byRank.put(r, bucketsByRank[r]);
        }
        LOG.info(
                "epoch {}: all {} buckets trained, {}; buckets by trainer {}",
                epoch + 1,
                buckets.size(),
                once ? "each exactly once" : "SOME MORE THAN ONCE",
                byRank);
    }
}
