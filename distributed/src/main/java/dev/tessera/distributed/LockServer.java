package dev.tessera.distributed;

import dev.tessera.core.config.BucketOrderName;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.Split;
import dev.tessera.trainer.BucketOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out buckets to trainers (PyTorch-BigGraph's lock server): a bucket only when no other trainer holds
 * either of its partitions, preferring one that shares a partition with the asker's last bucket (its
 * partitions then stay where they are), every bucket with training edges exactly once per epoch, and an
 * epoch over when all are trained. Each grant is a lease: a trainer that neither finishes nor heartbeats
 * within the lease timeout loses it, and its bucket goes back to the pending ones.
 *
 * <p>A trainer silent for longer still ({@code deadAfterNanos}) is taken for dead: its home partitions move to
 * the live trainers ({@link HomeMap#withoutHome}), which restore them from the last checkpoint, and the
 * training they got since it (the edges of this epoch's trained buckets that touch them) is counted as lost,
 * per partition. A dead trainer's later requests are answered EVICTED.
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

    private final GraphMeta meta;
    private final BucketOrderName order;
    private final int bufferPartitions;
    private final long seed;
    private final int trainers;
    private final long leaseNanos;
    private final long deadAfterNanos;
    private final List<EpochRecord> history = new ArrayList<>();
    private final Roster roster;
    /** Epochs up to this one are in a committed checkpoint: a home dying now loses none of their training. */
    private int committedEpoch = -1;

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
    private final List<EpochRecord.Lapsed> lapsedThisEpoch = new ArrayList<>();
    private int abandonedThisEpoch;

    LockServer(
            GraphMeta meta,
            BucketOrderName order,
            int bufferPartitions,
            long seed,
            int trainers,
            long leaseNanos,
            long deadAfterNanos) {
        this.meta = meta;
        this.deadAfterNanos = deadAfterNanos;
        this.roster = new Roster(trainers, meta.numPartitions());
        this.order = order;
        this.bufferPartitions = bufferPartitions;
        this.seed = seed;
        this.trainers = trainers;
        this.leaseNanos = leaseNanos;
        this.bytesSentByRank = new long[trainers];
    }

    /**
     * A bucket for trainer {@code rank} in epoch {@code e}, preferring one that shares a partition with its
     * last bucket ({@code lastLhs}, {@code lastRhs}; −1 for none).
     */
    synchronized Grant request(int rank, int e, int lastLhs, int lastRhs, long now) {
        roster.heard(rank, now);
        expireLeases(now);
        if (!roster.isAlive(rank)) {
            return new Grant(MessageType.EVICTED, -1, -1, -1, buckets.size(), 0);
        }
        if (roster.takeLapseNotice(rank)) {
            // It was silent: its partitions went home without its updates, and it must drop its copies.
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
        int[] b = buckets.get(i);
        LOG.warn("trainer {} handed bucket ({}, {}) of epoch {} back untrained", rank, b[0], b[1], epoch + 1);
        state[i] = PENDING;
        holder[i] = -1;
        lease[i] = 0;
        abandonedThisEpoch++;
        return MessageType.OK;
    }

    /** Trainer {@code rank} is still training the bucket of {@code leaseId}. */
    synchronized void heartbeat(int rank, long leaseId, long now) {
        roster.heard(rank, now);
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
                lapsedThisEpoch.add(new EpochRecord.Lapsed(b[0], b[1], holder[i], edges));
                state[i] = PENDING;
                holder[i] = -1;
                lease[i] = 0;
                expired++;
            }
        }
    }

    /**
     * Trainers silent (no heartbeat, no request) for a lease timeout since this was last asked: each loses
     * its lease, its partitions are to be taken back from it, and its next request is answered LAPSED.
     */
    synchronized List<Integer> silentTrainers(long now) {
        expireLeases(now);
        return roster.newlySilent(now, leaseNanos);
    }

    /**
     * Trainers silent for {@code deadAfterNanos} since this was last asked, now taken for dead (never rank 0,
     * which asks): their home partitions have moved ({@link #homes}) and their requests are refused from now on.
     */
    synchronized List<Integer> deadTrainers(long now) {
        List<Integer> newlyDead = roster.silentPast(now, deadAfterNanos);
        for (int r : newlyDead) {
            declareDead(r, now);
        }
        return newlyDead;
    }

    private void declareDead(int r, long now) {
        roster.markDead(r, epoch, now, p -> epoch > committedEpoch ? trainedEdgesTouching(p) : 0);
    }

    /** Edges of this epoch's trained buckets that touch partition {@code p}. */
    private long trainedEdgesTouching(int p) {
        long edges = 0;
        for (int i = 0; i < state.length; i++) {
            int[] b = buckets.get(i);
            if (state[i] == DONE && (b[0] == p || b[1] == p)) {
                edges += meta.edgeCount(Split.TRAIN, b[0], b[1]);
            }
        }
        return edges;
    }

    /**
     * Whether a trainer may join now: while an epoch is training. At an epoch's end the trainers wait for its
     * commit; a joiner let in then could read the checkpoint before that commit and start an epoch behind.
     */
    synchronized boolean acceptsJoiners() {
        return epoch >= 0 && done < buckets.size();
    }

    /**
     * Trainer {@code rank} joined again (a restarted process): the instance it replaces, if not yet taken for
     * dead, is now (its memory is gone: its home partitions move, and its leases are handed back); the new
     * one joins without homes. True if the old instance was still taken for alive.
     */
    synchronized boolean rejoin(int rank, long now) {
        boolean wasAlive = roster.isAlive(rank);
        if (wasAlive) {
            declareDead(rank, now);
        }
        for (int i = 0; i < state.length; i++) {
            if (state[i] == LEASED && holder[i] == rank) {
                deadline[i] = now - 1;
            }
        }
        expireLeases(now);
        roster.revive(rank, now);
        LOG.info("trainer {} joined again: it trains from the next bucket it asks for, without home partitions", rank);
        return wasAlive;
    }

    /** Trainer {@code from}'s copy of partition {@code type}/{@code part} replaced its restored one at its new home. */
    synchronized void recovered(int type, int part, int from) {
        if (!roster.recovered(part, from, meta.entityTotals().size())) {
            LOG.warn("trainer {} recovered partition {}/{}, whose move is not on record", from, type, part);
        }
    }

    /** The epoch {@code e} (0-based) is in a committed checkpoint. */
    synchronized void epochCommitted(int e) {
        committedEpoch = Math.max(committedEpoch, e);
    }

    /** The current homes. */
    synchronized HomeMap homes() {
        return roster.homes();
    }

    synchronized boolean isAlive(int rank) {
        return roster.isAlive(rank);
    }

    /** Trainers not taken for dead, rank 0 included. */
    synchronized int liveTrainers() {
        return roster.live();
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
                bytesSentByRank.clone(),
                roster.live(),
                roster.joins());
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
            locked[p] = roster.isSilent(roster.homes().homeOf(p));
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
        lapsedThisEpoch.clear();
        abandonedThisEpoch = 0;
        epochStartNanos = System.nanoTime();
        LOG.info("epoch {}: {} buckets for {} trainers", e + 1, n, trainers);
    }

    private void recordEpoch() {
        boolean once = Arrays.stream(timesTrained).allMatch(t -> t == 1);
        // A trainer that dies or joins between two epochs is recorded with the next.
        Roster.Faults faults = roster.takeFaults();
        history.add(new EpochRecord(
                epoch,
                buckets.size(),
                once,
                bucketsByRank.clone(),
                edgesByRank.clone(),
                List.copyOf(lapsedThisEpoch),
                abandonedThisEpoch,
                faults.died(),
                faults.restored(),
                faults.joined()));
        LOG.info(
                "epoch {}: all {} buckets trained, {}; buckets by trainer (rank 0 first) {}",
                epoch + 1,
                buckets.size(),
                once ? "each exactly once" : "SOME MORE THAN ONCE",
                Arrays.toString(bucketsByRank));
    }
}
