package dev.tessera.distributed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rank 0's roll of trainers: who has joined (answering the shared-secret challenge when one is configured),
 * and who has left. Joiners are welcomed together once all have joined, so nobody starts an epoch the
 * others cannot serve partitions for. A trainer that joins again later (a restarted process) waits until
 * rank 0 lets it in ({@link #takeRejoins}, {@link #welcomeBack}), or is told the job is over. A joiner that
 * fails the challenge is refused and logged; the job goes on waiting for the real one.
 */
final class Membership {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    /** {@link MessageType#WELCOME}'s statuses. */
    static final int WELCOME = 0, REFUSED = 1, JOB_OVER = 2;

    private final Rpc rpc;
    private final int trainers;
    private final Handshake handshake;
    private final Map<Integer, List<byte[]>> nonces = new HashMap<>();
    private final Map<Integer, Long> admitted = new HashMap<>();
    /** The process instance of each admitted trainer, and of each trainer's latest JOIN. */
    private final Map<Integer, Long> instanceOf = new HashMap<>();

    private final Map<Integer, Long> joiningInstance = new HashMap<>();
    private final TreeSet<Integer> left = new TreeSet<>();
    /** Trainers that joined again once the job had started, by rank: the correlation of their latest JOIN. */
    private final Map<Integer, Long> rejoins = new TreeMap<>();

    private long refused;
    private boolean welcomed;

    /** @param handshake the shared-secret check, or null when no secret is configured */
    Membership(Rpc rpc, Handshake handshake) {
        this.rpc = rpc;
        this.trainers = rpc.node().trainers();
        this.handshake = handshake;
    }

    /** Whether messages from {@code rank} may be served (rank 0's own always are). */
    synchronized boolean isAdmitted(int rank) {
        return rank == 0 || admitted.containsKey(rank);
    }

    /** Poller thread. */
    void onJoin(Message m) {
        int rank = m.senderRank();
        if (rank <= 0 || rank >= trainers || m.intAt(0) != trainers) {
            refuse(m, "a trainer claiming rank " + rank + " of " + m.intAt(0) + " (this job has " + trainers + ")");
            return;
        }
        long instance = m.longAt(8);
        synchronized (this) {
            if (welcomed && Long.valueOf(instance).equals(instanceOf.get(rank))) {
                // The same process again (our welcome crossed its next JOIN): welcome it again.
                admitted.put(rank, m.correlation());
                answerJoin(rank, m.correlation(), WELCOME);
                return;
            }
            joiningInstance.put(rank, instance);
        }
        if (handshake == null) {
            admit(rank, m.correlation());
            return;
        }
        byte[] nonce = Handshake.nonce();
        synchronized (this) {
            nonces.computeIfAbsent(rank, r -> new ArrayList<>()).add(nonce);
        }
        rpc.reply(rank, m.correlation(), MessageType.CHALLENGE, w -> w.putBytes(0, nonce));
    }

    /** Poller thread. */
    void onProof(Message m) {
        int rank = m.senderRank();
        byte[] proof = new byte[Handshake.MAC_BYTES];
        m.bytesAt(0, proof);
        boolean ok = false;
        synchronized (this) {
            for (byte[] nonce : nonces.getOrDefault(rank, List.of())) {
                if (handshake != null && handshake.verify(nonce, rank, proof)) {
                    ok = true;
                    nonces.remove(rank);
                    break;
                }
            }
        }
        if (ok) {
            admit(rank, m.correlation());
        } else {
            refuse(m, "trainer " + rank + " without the shared secret");
        }
    }

    /** Poller thread: a trainer is done; rank 0 may close once all are. */
    synchronized void onLeave(Message m) {
        left.add(m.senderRank());
        rpc.reply(m.senderRank(), m.correlation(), MessageType.ACK, w -> w.putInt(0, MessageType.OK));
    }

    private void refuse(Message m, String who) {
        synchronized (this) {
            refused++;
        }
        LOG.warn("refused {}: it may not join this job", who);
        int rank = m.senderRank();
        if (rank > 0 && rank < trainers) {
            answerJoin(rank, m.correlation(), REFUSED);
        }
    }

    private void admit(int rank, long correlation) {
        List<Map.Entry<Integer, Long>> welcome = List.of();
        synchronized (this) {
            if (welcomed) {
                // A trainer that joins again (restarted): rank 0 lets it in when it can ({@link #takeRejoins}).
                rejoins.put(rank, correlation);
                left.remove(rank);
            } else {
                admitted.put(rank, correlation);
                instanceOf.put(rank, joiningInstance.get(rank));
                if (admitted.size() == trainers - 1) {
                    welcomed = true;
                    welcome = new ArrayList<>(admitted.entrySet());
                }
            }
        }
        LOG.info("trainer {} joined", rank);
        for (Map.Entry<Integer, Long> e : welcome) {
            answerJoin(e.getKey(), e.getValue(), WELCOME);
        }
    }

    private void answerJoin(int rank, long correlation, int status) {
        rpc.reply(rank, correlation, MessageType.WELCOME, w -> w.putInt(0, status));
    }

    /** The trainers that joined again since last asked (rank → the JOIN to answer), taken off the list. */
    synchronized Map<Integer, Long> takeRejoins() {
        Map<Integer, Long> out = new TreeMap<>(rejoins);
        rejoins.clear();
        return out;
    }

    /** Lets a trainer that joined again in: from now on it is served like the others. */
    void welcomeBack(int rank, long correlation) {
        synchronized (this) {
            admitted.put(rank, correlation);
            instanceOf.put(rank, joiningInstance.get(rank));
        }
        answerJoin(rank, correlation, WELCOME);
    }

    /** Answers the trainers still waiting to join again that the job is over. */
    void turnAwayRejoins() {
        for (Map.Entry<Integer, Long> e : takeRejoins().entrySet()) {
            rpc.node()
                    .trySend(
                            e.getKey(),
                            rpc.writer()
                                    .start(MessageType.WELCOME, rpc.node().rank(), e.getValue())
                                    .putInt(0, JOB_OVER),
                            1_000_000_000L);
        }
    }

    /** Waits until every trainer has joined; throws naming the missing ones after the timeout. */
    void awaitAll(long timeoutNanos) {
        awaitRoll(timeoutNanos, true, r -> true);
    }

    /**
     * Waits until every other trainer {@code alive} holds for has left, or the timeout passes (they may be gone
     * without a word).
     */
    void awaitLeft(long timeoutNanos, IntPredicate alive) {
        try {
            awaitRoll(timeoutNanos, false, alive);
        } catch (TransferException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    private void awaitRoll(long timeoutNanos, boolean joining, IntPredicate alive) {
        if (!rpc.node()
                .awaitUntil(() -> missing(joining, alive).isEmpty(), rpc.node().after(timeoutNanos), 5_000_000)) {
            throw new TransferException("trainers " + missing(joining, alive)
                    + (joining ? " never joined" : " never said goodbye") + " within "
                    + timeoutNanos / 1_000_000_000 + " s");
        }
    }

    /** Ranks 1..N−1 not yet admitted ({@code joining}), or live ones not yet gone. */
    private synchronized List<Integer> missing(boolean joining, IntPredicate alive) {
        List<Integer> missing = new ArrayList<>();
        for (int r = 1; r < trainers; r++) {
            if (joining ? !admitted.containsKey(r) : !left.contains(r) && alive.test(r)) {
                missing.add(r);
            }
        }
        return missing;
    }

    synchronized long refused() {
        return refused;
    }
}
