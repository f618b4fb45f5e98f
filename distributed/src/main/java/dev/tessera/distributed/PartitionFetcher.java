package dev.tessera.distributed;

import dev.tessera.trainer.EmbeddingPartition;
import dev.tessera.trainer.PartitionBuffer;
import dev.tessera.trainer.PartitionsUnavailableException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trainer's side of partition transfers: takes a partition from its home ({@link #obtain}: a fetch over
 * the wire, or a check-out of this trainer's own {@link PartitionServer}) and gives it back
 * ({@link #giveBack}). A fetch answered BUSY (the last holder has not returned the partition yet) waits and
 * asks again; a fetch or return that fails or stalls is retried up to {@value #TRIES} times, then fails with
 * the peer and the partition named — a fetch with {@link PartitionsUnavailableException}, so the trainer
 * hands the bucket back and goes on, a return with {@link TransferException}. Fetched partitions' arrays are reused for later fetches of the same type.
 */
final class PartitionFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionFetcher.class);
    static final int TRIES = 3;

    private final Rpc rpc;
    private final PartitionServer homes;
    private final int dimension;
    private final long[][] rowsOf;
    private final long transferTimeoutNanos;
    private final long holdTimeoutNanos;
    private final Map<Integer, ArrayDeque<EmbeddingPartition>> spare = new HashMap<>();
    /** The home each partition this trainer holds came from. */
    private final Map<Long, Integer> cameFrom = new HashMap<>();

    private int fetches;
    private int staleReturns;
    private long bytesFetched;
    private long bytesReturned;
    private long transferNanos;

    /**
     * @param rowsOf               {@code rowsOf[type][part]}: every partition's rows
     * @param transferTimeoutNanos a fetch or return that makes no progress for this long fails (and is retried)
     * @param holdTimeoutNanos     a partition out at another trainer for longer than this is taken for lost
     */
    PartitionFetcher(
            Rpc rpc,
            PartitionServer homes,
            int dimension,
            long[][] rowsOf,
            long transferTimeoutNanos,
            long holdTimeoutNanos) {
        this.rpc = rpc;
        this.homes = homes;
        this.dimension = dimension;
        this.rowsOf = rowsOf;
        this.transferTimeoutNanos = transferTimeoutNanos;
        this.holdTimeoutNanos = holdTimeoutNanos;
    }

    /** The partition, from this trainer's own homes or fetched from its home; waits while another trainer has it. */
    EmbeddingPartition obtain(int type, int part) {
        int home = homes.homeOf(part);
        cameFrom.put(PartitionBuffer.key(type, part), home);
        if (home != rpc.node().rank()) {
            fetches++;
            return fetch(home, type, part);
        }
        long since = rpc.node().runningNanos();
        EmbeddingPartition p;
        while ((p = homes.checkOutLocal(type, part)) == null) {
            awaitReturn(since, "partition " + type + "/" + part + " (home: this trainer)");
        }
        return p;
    }

    /**
     * Returns {@code p} to its home; its arrays are kept for a later fetch. A home that took the partition back
     * (this trainer's lease lapsed) refuses it as stale: the copy is dropped, not an error.
     */
    void giveBack(EmbeddingPartition p) {
        Integer from = cameFrom.remove(PartitionBuffer.key(p.type, p.part));
        int home = homes.homeOf(p.part);
        if (home == rpc.node().rank()) {
            if (from != null && from != home) {
                // Fetched from a home that died, whose partition this trainer adopted meanwhile.
                if (homes.recoverLocal(p, holdTimeoutNanos)) {
                    reportRecovered(p);
                }
            } else {
                homes.checkIn(p.type, p.part);
            }
            return;
        }
        long busySince = 0;
        String what = "partition " + p.type + "/" + p.part + " to trainer " + home + " at "
                + rpc.node().endpoint(home);
        for (int attempt = 1; ; attempt++) {
            OneReply ack = new OneReply();
            long id = rpc.replies().register(ack);
            try {
                long start = System.nanoTime();
                PartitionTransfer.send(rpc.node(), rpc.writer(), home, id, p);
                int status = ack.await(rpc.node(), transferTimeoutNanos, "returning " + what)
                        .intAt(0);
                if (status == MessageType.BUSY) {
                    // Its new home is still restoring it (its old home died): not a failure, ask again.
                    busySince = busySince == 0 ? rpc.node().runningNanos() : busySince;
                    if (rpc.node().runningNanos() - busySince > holdTimeoutNanos) {
                        throw new TransferException("returning " + what + ": its new home has not restored it in "
                                + holdTimeoutNanos / 1_000_000_000 + " s");
                    }
                    LockSupport.parkNanos(10_000_000);
                    attempt--;
                    continue;
                }
                if (status == MessageType.RECOVERED) {
                    reportRecovered(p);
                }
                if (status == MessageType.OK || status == MessageType.RECOVERED) {
                    bytesReturned += PartitionTransfer.floats(p) * Float.BYTES;
                    transferNanos += System.nanoTime() - start;
                    spare.computeIfAbsent(p.type, t -> new ArrayDeque<>()).offer(p);
                    return;
                }
                if (status == MessageType.STALE) {
                    // The lock server took this trainer's lease back and the home its partition: drop the copy.
                    LOG.warn(
                            "trainer {}: trainer {} refused {}: this trainer's lease lapsed and its updates of the "
                                    + "partition are dropped",
                            rpc.node().rank(),
                            home,
                            what);
                    staleReturns++;
                    spare.computeIfAbsent(p.type, t -> new ArrayDeque<>()).offer(p);
                    return;
                }
                LOG.warn(
                        "trainer {}: returning {} failed (try {} of {})",
                        rpc.node().rank(),
                        what,
                        attempt,
                        TRIES);
            } catch (TransferException e) {
                if (attempt >= TRIES) {
                    throw e;
                }
                LOG.warn("trainer {}: {} (try {} of {})", rpc.node().rank(), e.getMessage(), attempt, TRIES);
            } finally {
                rpc.replies().cancel(id);
            }
            if (attempt >= TRIES) {
                throw new TransferException("cannot return " + what + " after " + TRIES + " tries");
            }
        }
    }

    /** Tells the lock server that {@code p}'s new home took this trainer's copy: its training was not lost. */
    private void reportRecovered(EmbeddingPartition p) {
        MessageWriter w = rpc.writer()
                .start(
                        MessageType.PARTITION_RECOVERED,
                        rpc.node().rank(),
                        rpc.replies().newId())
                .putInt(0, p.type)
                .putInt(4, p.part);
        rpc.node().send(RemoteBucketSchedule.LOCK_SERVER, w);
    }

    /**
     * Whether {@code p}'s home has changed since this trainer took it (its home was taken for dead): the copy
     * must go back (to be refused) rather than be trained further, as its new home has restored its own.
     */
    boolean homeMoved(EmbeddingPartition p) {
        Integer from = cameFrom.get(PartitionBuffer.key(p.type, p.part));
        return from != null && from != homes.homeOf(p.part);
    }

    /** Partitions fetched from other trainers so far. */
    int fetches() {
        return fetches;
    }

    /** Returns refused because this trainer's lease had lapsed (their updates dropped). */
    int staleReturns() {
        return staleReturns;
    }

    long bytesFetched() {
        return bytesFetched;
    }

    long bytesReturned() {
        return bytesReturned;
    }

    /** Time spent moving partitions that arrived (a fetch from request to last chunk, a return to its receipt). */
    double transferSeconds() {
        return transferNanos / 1e9;
    }

    private EmbeddingPartition fetch(int home, int type, int part) {
        int rows = Math.toIntExact(rowsOf[type][part]);
        EmbeddingPartition arrays =
                spare.computeIfAbsent(type, t -> new ArrayDeque<>()).poll();
        EmbeddingPartition into = arrays != null && arrays.fits(rows)
                ? new EmbeddingPartition(type, part, rows, dimension, arrays)
                : EmbeddingPartition.withCapacity(type, part, rows, dimension, maxRows(type));
        String what = "partition " + type + "/" + part + " from trainer " + home + " at "
                + rpc.node().endpoint(home);
        long busySince = 0;
        for (int attempt = 1; ; ) {
            Fetch f = new Fetch(into, rpc.node());
            long id = rpc.replies().register(f);
            String problem;
            try {
                long start = System.nanoTime();
                rpc.node()
                        .send(
                                home,
                                rpc.writer()
                                        .start(
                                                MessageType.PARTITION_FETCH,
                                                rpc.node().rank(),
                                                id)
                                        .putInt(0, type)
                                        .putInt(4, part));
                int status = f.await(transferTimeoutNanos);
                if (status == MessageType.OK) {
                    bytesFetched += PartitionTransfer.floats(into) * Float.BYTES;
                    transferNanos += System.nanoTime() - start;
                    return into;
                }
                if (status == MessageType.BUSY) {
                    // Its last holder has not returned it yet: not a failure, just wait for it.
                    busySince = busySince == 0 ? rpc.node().runningNanos() : busySince;
                    awaitReturn(busySince, what);
                    continue;
                }
                problem = f.problem;
            } catch (TransferException e) {
                // The request could not be sent (the home is paused, or restarting): a failed try, as a stall is.
                rpc.node().checkAlive();
                problem = e.getMessage();
            } finally {
                rpc.replies().cancel(id);
            }
            LOG.warn(
                    "trainer {}: fetching {} failed (try {} of {}): {}",
                    rpc.node().rank(),
                    what,
                    attempt,
                    TRIES,
                    problem);
            if (++attempt > TRIES) {
                throw new PartitionsUnavailableException("cannot fetch " + what + " after " + TRIES + " tries");
            }
        }
    }

    /**
     * One pause while a partition is out at another trainer: fails once it has been out longer than the
     * hold timeout (its holder is gone or stuck), or when this trainer is stopped.
     */
    private void awaitReturn(long since, String what) {
        rpc.node().checkAlive();
        long waited = rpc.node().runningNanos() - since;
        if (waited > holdTimeoutNanos) {
            throw new PartitionsUnavailableException(what + " has been held by another trainer for over "
                    + holdTimeoutNanos / 1_000_000_000 + " s: is it still alive?");
        }
        LockSupport.parkNanos(Math.min(2_000_000, 10_000 + waited / 8));
    }

    private int maxRows(int type) {
        long max = 0;
        for (long r : rowsOf[type]) {
            max = Math.max(max, r);
        }
        return Math.toIntExact(max);
    }

    /** The answer to one fetch: the partition's chunks, or an ACK saying why not. */
    private static final class Fetch implements Replies.Sink {
        private final PartitionTransfer.Receiver receiver;
        private final AeronNode node;
        private volatile int status = -1;
        private volatile long lastProgress;
        String problem;

        Fetch(EmbeddingPartition into, AeronNode node) {
            this.receiver = new PartitionTransfer.Receiver(into);
            this.node = node;
            this.lastProgress = node.runningNanos();
        }

        @Override
        public boolean accept(Message m) {
            if (m.type() == MessageType.ACK) {
                problem = "answered " + m.intAt(0);
                status = m.intAt(0) == MessageType.BUSY ? MessageType.BUSY : MessageType.FAILED;
                return true;
            }
            if (m.type() != MessageType.PARTITION_CHUNK) {
                return false;
            }
            lastProgress = node.runningNanos();
            if (!receiver.accept(m)) {
                return false;
            }
            problem = receiver.problem();
            status = problem == null ? MessageType.OK : MessageType.FAILED;
            return true;
        }

        /** The outcome; FAILED when no chunk came for {@code stallNanos}. */
        int await(long stallNanos) {
            if (!node.awaitUntil(
                    () -> status >= 0,
                    () -> node.runningNanos() - lastProgress > stallNanos,
                    AeronNode.MAX_PARK_NANOS)) {
                problem = "stalled: nothing for " + stallNanos / 1_000_000_000 + " s";
                return MessageType.FAILED;
            }
            return status;
        }
    }
}
