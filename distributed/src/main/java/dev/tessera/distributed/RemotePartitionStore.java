package dev.tessera.distributed;

import dev.tessera.sampler.AliasTable;
import dev.tessera.storage.GraphStore;
import dev.tessera.trainer.EmbeddingPartition;
import dev.tessera.trainer.PartitionBuffer;
import dev.tessera.trainer.PartitionStore;
import dev.tessera.trainer.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A distributed trainer's partitions: each bucket's partitions fetched from their homes (or checked out of
 * this trainer's own {@link PartitionServer}), kept while the next bucket needs them, returned when it does
 * not. At an epoch's end this trainer returns what it holds, waits until its own home partitions are all
 * back, and writes them as SST files into the shared checkpoint directory for rank 0 to ingest.
 *
 * <p>Memory: the home partitions, plus copies of the (at most two) remote partitions of the bucket in
 * flight, whose arrays are reused from bucket to bucket.
 */
final class RemotePartitionStore implements PartitionStore {
    private static final Logger LOG = LoggerFactory.getLogger(RemotePartitionStore.class);
    private static final int TRIES = 3;

    private final Rpc rpc;
    private final PartitionServer homes;
    private final GraphStore graph;
    private final TrainingSettings settings;
    private final long[][] rowsOf;
    private final StartupCheckpoint startup;
    private final Path stagingRoot;
    private final long transferTimeoutNanos;
    private final long holdTimeoutNanos;
    private final Map<Long, EmbeddingPartition> held = new HashMap<>();
    private final Map<Long, AliasTable> degrees = new HashMap<>();
    private final Map<Integer, ArrayDeque<EmbeddingPartition>> spare = new HashMap<>();
    private int working;
    private long waitNanos;
    private int loads;
    private long bytesFetched;
    private long bytesReturned;
    private long transferNanos;

    RemotePartitionStore(
            Rpc rpc,
            PartitionServer homes,
            GraphStore graph,
            TrainingSettings settings,
            long[][] rowsOf,
            StartupCheckpoint startup,
            Path stagingRoot,
            long transferTimeoutNanos,
            long holdTimeoutNanos) {
        this.holdTimeoutNanos = holdTimeoutNanos;
        this.rpc = rpc;
        this.homes = homes;
        this.graph = graph;
        this.settings = settings;
        this.rowsOf = rowsOf;
        this.startup = startup;
        this.stagingRoot = stagingRoot;
        this.transferTimeoutNanos = transferTimeoutNanos;
    }

    /** The directory the homes write data version {@code version}'s partition files into. */
    static Path stagingDirectory(Path stagingRoot, int version) {
        return stagingRoot.resolve("v" + version);
    }

    @Override
    public void startEpoch(int working, int[][] previous) {
        this.working = working;
        if (startup.isOpen()) {
            // The first epoch: the homes come from the checkpoint this run resumes (read while rank 0 has not
            // yet written anything), after which this trainer never reads the checkpoint again.
            homes.load(startup.store(), previous, rowsOf, settings.dimension(), settings.initScale(), settings.seed());
            startup.close();
        }
    }

    @Override
    public Map<Long, EmbeddingPartition> acquire(Set<Long> needed) {
        long start = System.nanoTime();
        for (Long key : new ArrayList<>(held.keySet())) {
            if (!needed.contains(key)) {
                giveBack(key);
            }
        }
        for (Long key : needed) {
            if (!held.containsKey(key)) {
                held.put(key, obtain((int) (key >>> 32), (int) (long) key));
            }
        }
        waitNanos += System.nanoTime() - start;
        return new HashMap<>(held);
    }

    @Override
    public void prefetch(Set<Long> next, Set<Long> pinned) {
        // The next bucket is not known before the lock server grants it: nothing to start early.
    }

    /** Returns every partition this trainer holds to its home (before it waits for a bucket, and at an epoch's end). */
    void giveBackAll() {
        for (Long key : new ArrayList<>(held.keySet())) {
            giveBack(key);
        }
    }

    @Override
    public int[][] finishEpoch() {
        giveBackAll();
        homes.awaitAllIn(transferTimeoutNanos * TRIES * 4);
        Path dir = stagingDirectory(stagingRoot, working);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TransferException("cannot create " + dir + " for the epoch's partitions: " + e.getMessage());
        }
        homes.writeFiles(dir, working);
        int[][] now = new int[rowsOf.length][];
        for (int t = 0; t < rowsOf.length; t++) {
            now[t] = new int[rowsOf[t].length];
            java.util.Arrays.fill(now[t], working);
        }
        return now;
    }

    @Override
    public long waitNanos() {
        return waitNanos;
    }

    @Override
    public int loads() {
        return loads;
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

    @Override
    public void close() {
        startup.close();
    }

    private EmbeddingPartition obtain(int type, int part) {
        int home = PartitionServer.homeOf(part, rpc.node().trainers());
        EmbeddingPartition p;
        if (home == rpc.node().rank()) {
            long since = System.nanoTime();
            while ((p = homes.checkOutLocal(type, part)) == null) {
                awaitReturn(since, "partition " + type + "/" + part + " (home: this trainer)");
            }
        } else {
            p = fetch(home, type, part);
            loads++;
        }
        return withDegrees(p);
    }

    private EmbeddingPartition fetch(int home, int type, int part) {
        int rows = Math.toIntExact(rowsOf[type][part]);
        ArrayDeque<EmbeddingPartition> free = spare.computeIfAbsent(type, t -> new ArrayDeque<>());
        EmbeddingPartition arrays = free.poll();
        EmbeddingPartition into = arrays != null && arrays.fits(rows)
                ? new EmbeddingPartition(type, part, rows, settings.dimension(), arrays)
                : EmbeddingPartition.withCapacity(type, part, rows, settings.dimension(), maxRows(type));
        String what = "partition " + type + "/" + part + " from trainer " + home + " at "
                + rpc.node().endpoint(home);
        long busySince = 0;
        for (int attempt = 1; ; ) {
            Fetch f = new Fetch(into);
            long id = rpc.replies().register(f);
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
                int status = f.await(rpc.node(), transferTimeoutNanos);
                if (status == MessageType.OK) {
                    bytesFetched += PartitionTransfer.floats(into) * Float.BYTES;
                    transferNanos += System.nanoTime() - start;
                    return into;
                }
                if (status == MessageType.BUSY) {
                    // Its last holder has not returned it yet: not a failure, just wait for it.
                    busySince = busySince == 0 ? System.nanoTime() : busySince;
                    awaitReturn(busySince, what);
                    continue;
                }
                LOG.warn(
                        "trainer {}: fetching {} failed (try {} of {}): {}",
                        rpc.node().rank(),
                        what,
                        attempt,
                        TRIES,
                        f.problem);
            } finally {
                rpc.replies().cancel(id);
            }
            if (++attempt > TRIES) {
                throw new TransferException("cannot fetch " + what + " after " + TRIES + " tries");
            }
        }
    }

    /**
     * One pause while a partition is out at another trainer: fails once it has been out longer than the
     * hold timeout (its holder is gone or stuck), or when this trainer is stopped.
     */
    private void awaitReturn(long since, String what) {
        rpc.node().checkAlive();
        long waited = System.nanoTime() - since;
        if (waited > holdTimeoutNanos) {
            throw new TransferException(what + " has been held by another trainer for over "
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

    private void giveBack(long key) {
        EmbeddingPartition p = held.remove(key);
        int home = PartitionServer.homeOf(p.part, rpc.node().trainers());
        if (home == rpc.node().rank()) {
            homes.checkInLocal(p.type, p.part);
            return;
        }
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
                if (status == MessageType.OK) {
                    bytesReturned += PartitionTransfer.floats(p) * Float.BYTES;
                    transferNanos += System.nanoTime() - start;
                    spare.computeIfAbsent(p.type, t -> new ArrayDeque<>()).offer(p);
                    return;
                }
                if (status == MessageType.STALE) {
                    throw new TransferException(
                            "trainer " + home + " refused " + what + ": this trainer no longer holds it");
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

    private EmbeddingPartition withDegrees(EmbeddingPartition p) {
        if (settings.degreeNegatives() > 0) {
            p.degrees = degrees.computeIfAbsent(PartitionBuffer.key(p.type, p.part), k -> {
                int[][] d = graph.degrees(p.type, p.part, p.rows);
                return AliasTable.ofDegrees(d[0], d[1], settings.degreeExponent());
            });
        }
        return p;
    }

    /** The answer to one fetch: the partition's chunks, or an ACK saying why not. */
    private static final class Fetch implements Replies.Sink {
        private final PartitionTransfer.Receiver receiver;
        private volatile int status = -1;
        private volatile long lastProgress = System.nanoTime();
        String problem;

        Fetch(EmbeddingPartition into) {
            this.receiver = new PartitionTransfer.Receiver(into);
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
            lastProgress = System.nanoTime();
            if (!receiver.accept(m)) {
                return false;
            }
            problem = receiver.problem();
            status = problem == null ? MessageType.OK : MessageType.FAILED;
            return true;
        }

        /** The outcome; FAILED when no chunk came for {@code stallNanos}. */
        int await(AeronNode node, long stallNanos) {
            if (!node.awaitUntil(
                    () -> status >= 0, () -> System.nanoTime() - lastProgress > stallNanos, AeronNode.MAX_PARK_NANOS)) {
                problem = "stalled: nothing for " + stallNanos / 1_000_000_000 + " s";
                return MessageType.FAILED;
            }
            return status;
        }
    }
}
