package dev.tessera.distributed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared parameters' master copy (values and their Adagrad accumulators), on rank 0. The rule: every
 * trainer steps its own copy, and pushes the change since its last exchange (a delta, of the values and
 * of the accumulators); the server adds every delta into the master as it arrives (deltas of different
 * trainers commute) and answers each push with the master's current values, which replace the pusher's
 * copy. A trainer's copy is thus stale by at most one exchange interval of the other trainers' updates,
 * and its Adagrad steps are scaled by everyone's accumulated gradients, as one trainer's would be. A push
 * with no floats is a pure pull.
 */
final class ParameterServer {
    private static final Logger LOG = LoggerFactory.getLogger(ParameterServer.class);
    static final int EPOCH = 0;
    static final int FLAGS = 4;
    static final int FIRST = 8;
    static final int TOTAL = 12;
    static final int CRC = 16;
    /** Flag of the chunks the server sends back. */
    static final int REPLY = 2;

    private final Rpc rpc;
    private final ExecutorService sender;
    private final int trainers;
    private final IntPredicate alive;
    /** By tag, the trainers whose final push of it has come. */
    private final Map<Integer, Set<Integer>> finals = new HashMap<>();

    private final long[] lastPush;
    private float[] master;
    private long maxIntervalNanos;

    /** @param alive whether a trainer is still in the job (one taken for dead is not waited for) */
    ParameterServer(Rpc rpc, ExecutorService sender, IntPredicate alive) {
        this.rpc = rpc;
        this.alive = alive;
        this.sender = sender;
        this.trainers = rpc.node().trainers();
        this.lastPush = new long[trainers];
    }

    /** Starts serving with rank 0's values (read from the checkpoint or initialised). */
    synchronized void initialise(float[] values) {
        master = values.clone();
    }

    /** A push (poller thread): adds its delta; after its last chunk, sends the master values back. */
    void onChunk(Message m) {
        int peer = m.senderRank();
        long correlation = m.correlation();
        float[] snapshot;
        synchronized (this) {
            if (master == null) {
                rpc.reply(peer, correlation, MessageType.ACK, w -> w.putInt(0, MessageType.BUSY));
                return;
            }
            int first = m.intAt(FIRST);
            int n = m.payloadFloats();
            int total = m.intAt(TOTAL);
            if (total != 0 && total != master.length || first < 0 || first + n > master.length) {
                LOG.warn(
                        "trainer {} pushed {} floats at {} of {}; the parameters have {}: ignored",
                        peer,
                        n,
                        first,
                        total,
                        master.length);
                rpc.reply(peer, correlation, MessageType.ACK, w -> w.putInt(0, MessageType.FAILED));
                return;
            }
            if (m.payloadChecksum() != m.intAt(CRC)) {
                LOG.warn("trainer {}: a parameter chunk failed its checksum: ignored", peer);
                rpc.reply(peer, correlation, MessageType.ACK, w -> w.putInt(0, MessageType.FAILED));
                return;
            }
            for (int i = 0; i < n; i++) {
                master[first + i] += m.payloadFloat(i);
            }
            if (total != 0 && first + n < total) {
                return; // more chunks of this push to come
            }
            long now = System.nanoTime();
            if (lastPush[peer] != 0) {
                maxIntervalNanos = Math.max(maxIntervalNanos, now - lastPush[peer]);
            }
            lastPush[peer] = now;
            if ((m.intAt(FLAGS) & MessageType.FINAL) != 0) {
                finals.computeIfAbsent(m.intAt(EPOCH), t -> new HashSet<>()).add(peer);
            }
            snapshot = master.clone();
        }
        sender.execute(() -> sendValues(peer, correlation, snapshot));
    }

    private void sendValues(int peer, long correlation, float[] values) {
        MessageWriter w = rpc.writer();
        int max = w.maxPayloadFloats();
        for (int first = 0; first < values.length || first == 0; first += max) {
            int n = Math.min(max, values.length - first);
            w.start(MessageType.PARAMETER_CHUNK, rpc.node().rank(), correlation)
                    .putInt(FLAGS, REPLY)
                    .putInt(FIRST, first)
                    .putInt(TOTAL, values.length)
                    .appendFloats(values, first, n)
                    .checksumPayloadInto(CRC);
            try {
                rpc.node().send(peer, w);
            } catch (TransferException e) {
                LOG.warn("parameters to trainer {} not sent: {}", peer, e.getMessage());
                return;
            }
            if (values.length == 0) {
                break;
            }
        }
    }

    /** The master values once every live trainer has made its final push tagged {@code tag}. */
    float[] awaitFinals(int tag, long timeoutNanos) {
        if (!rpc.node()
                .awaitUntil(() -> missingFinals(tag).isEmpty(), rpc.node().after(timeoutNanos), 1_000_000)) {
            throw new TransferException(
                    "the parameter server never got the final updates of trainers " + missingFinals(tag));
        }
        synchronized (this) {
            finals.remove(tag);
            return master.clone();
        }
    }

    private synchronized List<Integer> missingFinals(int tag) {
        Set<Integer> in = finals.getOrDefault(tag, Set.of());
        List<Integer> missing = new ArrayList<>();
        for (int r = 0; r < trainers; r++) {
            if (alive.test(r) && !in.contains(r)) {
                missing.add(r);
            }
        }
        return missing;
    }

    /** The longest time any trainer went between two pushes: how stale its copy could get. */
    synchronized double maxSecondsBetweenPushes() {
        return maxIntervalNanos / 1e9;
    }
}
