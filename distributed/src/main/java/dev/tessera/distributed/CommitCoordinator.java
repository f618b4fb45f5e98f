package dev.tessera.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rank 0's side of an epoch's end: it collects every other trainer's {@link MessageType#EPOCH_END} (its home
 * partitions are written), holding back the replies until the checkpoint is committed; the replies then
 * release the trainers into their next epoch. Also keeps what each trainer reported of its epoch.
 */
final class CommitCoordinator {
    /** What a trainer reported at an epoch's end. */
    record TrainerEpoch(int rank, int version, long edges, long bytesSent, long bytesReceived) {}

    private record Waiting(int rank, long correlation, int version) {}

    private final Rpc rpc;
    private final LockServer lockServer;
    private final List<Waiting> waiting = new ArrayList<>();
    private final List<TrainerEpoch> reports = new ArrayList<>();

    /** @param lockServer who is alive and where partitions live (a trainer taken for dead is not waited for) */
    CommitCoordinator(Rpc rpc, LockServer lockServer) {
        this.rpc = rpc;
        this.lockServer = lockServer;
    }

    HomeMap homes() {
        return lockServer.homes();
    }

    int liveTrainers() {
        return lockServer.liveTrainers();
    }

    /** Poller thread. Body: 0 epoch, 4 working version, 8 edges, 16 bytes sent, 24 bytes received. */
    synchronized void onEpochEnd(Message m) {
        waiting.add(new Waiting(m.senderRank(), m.correlation(), m.intAt(4)));
        reports.add(new TrainerEpoch(m.senderRank(), m.intAt(4), m.longAt(8), m.longAt(16), m.longAt(24)));
    }

    /** Rank 0's own report of its epoch. */
    synchronized void report(TrainerEpoch own) {
        reports.add(own);
    }

    /** Waits until every other live trainer has ended epoch version {@code version}. */
    void awaitOthers(int version, long timeoutNanos) {
        if (!rpc.node().awaitUntil(() -> notEnded(version).isEmpty(), rpc.node().after(timeoutNanos), 1_000_000)) {
            throw new TransferException("trainers " + notEnded(version) + " did not finish the epoch of version "
                    + version + " within " + timeoutNanos / 1_000_000_000 + " s");
        }
    }

    /** Live trainers other than rank 0 that have not yet ended epoch version {@code version}. */
    private synchronized List<Integer> notEnded(int version) {
        List<Integer> out = new ArrayList<>();
        for (int r = 1; r < rpc.node().trainers(); r++) {
            int rank = r;
            if (lockServer.isAlive(r) && waiting.stream().noneMatch(w -> w.rank == rank && w.version == version)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Releases the trainers waiting on version {@code version}, the checkpoint of epoch {@code epoch}: it is committed. */
    void committed(int version, int epoch) {
        lockServer.epochCommitted(epoch);
        List<Waiting> release;
        synchronized (this) {
            release = waiting.stream().filter(w -> w.version == version).toList();
            waiting.removeAll(release);
        }
        for (Waiting w : release) {
            rpc.reply(w.rank, w.correlation, MessageType.EPOCH_COMMITTED, b -> b.putInt(0, version));
        }
    }

    synchronized List<TrainerEpoch> reports() {
        return List.copyOf(reports);
    }

    /**
     * Adds the job's view of epoch version {@code version} to its history record (which {@code report.html}
     * charts): edges/s of each trainer and of all, and the bytes the trainers sent during it.
     */
    synchronized void describe(int version, Map<String, Object> record) {
        double seconds = ((Number) record.getOrDefault("seconds", 0.0)).doubleValue();
        Map<Integer, TrainerEpoch> now = new TreeMap<>();
        Map<Integer, Long> sentBefore = new TreeMap<>();
        for (TrainerEpoch e : reports) {
            if (e.version() == version) {
                now.put(e.rank(), e);
            } else if (e.version() < version) {
                sentBefore.merge(e.rank(), e.bytesSent(), Math::max);
            }
        }
        long edges = 0;
        long sent = 0;
        for (TrainerEpoch e : now.values()) {
            edges += e.edges();
            sent += e.bytesSent() - sentBefore.getOrDefault(e.rank(), 0L);
            record.put("trainer" + e.rank() + "_edges_per_s", e.edges() / Math.max(seconds, 1e-9));
        }
        record.put("job_edges_per_s", edges / Math.max(seconds, 1e-9));
        record.put("mb_sent", sent / 1e6);
    }
}
