package dev.tessera.distributed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rank 0's roll of trainers: who has joined (answering the shared-secret challenge when one is configured),
 * and who has left. Joiners are welcomed together once all have joined, so nobody starts an epoch the
 * others cannot serve partitions for. A joiner that fails the challenge is refused and logged; the job
 * goes on waiting for the real one.
 */
final class Membership {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    private final Rpc rpc;
    private final int trainers;
    private final Handshake handshake;
    private final Map<Integer, List<byte[]>> nonces = new HashMap<>();
    private final Map<Integer, Long> admitted = new HashMap<>();
    private final TreeSet<Integer> left = new TreeSet<>();
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
            rpc.reply(rank, m.correlation(), MessageType.WELCOME, w -> w.putInt(0, 1));
        }
    }

    private void admit(int rank, long correlation) {
        List<Map.Entry<Integer, Long>> welcome = List.of();
        synchronized (this) {
            if (welcomed) {
                // A trainer that joins again (restarted): welcome it at once.
                admitted.put(rank, correlation);
                welcome = List.of(Map.entry(rank, correlation));
            } else {
                admitted.put(rank, correlation);
                if (admitted.size() == trainers - 1) {
                    welcomed = true;
                    welcome = new ArrayList<>(admitted.entrySet());
                }
            }
        }
        LOG.info("trainer {} joined", rank);
        for (Map.Entry<Integer, Long> e : welcome) {
            rpc.reply(e.getKey(), e.getValue(), MessageType.WELCOME, w -> w.putInt(0, 0));
        }
    }

    /** Waits until every trainer has joined; throws naming the missing ones after the timeout. */
    void awaitAll(long timeoutNanos) {
        awaitRoll(timeoutNanos, true);
    }

    /** Waits until every other trainer has left, or the timeout passes (they may be gone without a word). */
    void awaitLeft(long timeoutNanos) {
        try {
            awaitRoll(timeoutNanos, false);
        } catch (TransferException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    private void awaitRoll(long timeoutNanos, boolean joining) {
        if (!rpc.node().awaitUntil(() -> missing(joining).isEmpty(), AeronNode.after(timeoutNanos), 5_000_000)) {
            throw new TransferException("trainers " + missing(joining)
                    + (joining ? " never joined" : " never said goodbye") + " within "
                    + timeoutNanos / 1_000_000_000 + " s");
        }
    }

    /** Ranks 1..N−1 not yet admitted ({@code joining}) or not yet gone. */
    private synchronized List<Integer> missing(boolean joining) {
        List<Integer> missing = new ArrayList<>();
        for (int r = 1; r < trainers; r++) {
            if (joining ? !admitted.containsKey(r) : !left.contains(r)) {
                missing.add(r);
            }
        }
        return missing;
    }

    synchronized long refused() {
        return refused;
    }
}
