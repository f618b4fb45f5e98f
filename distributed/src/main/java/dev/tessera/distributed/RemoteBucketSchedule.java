package dev.tessera.distributed;

import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.Split;
import dev.tessera.trainer.Bucket;
import dev.tessera.trainer.BucketSchedule;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A distributed trainer's schedule: buckets leased from the {@link LockServer} on rank 0, kept alive by
 * heartbeats from the poller's thread while they train. While the lock server has nothing free for this
 * trainer it returns the partitions it holds (another trainer may be waiting for them) and asks again. A
 * trainer silent for a lease timeout (paused, or cut off) has its lease and partitions taken back: the bucket
 * it then finishes is refused, its next request is answered LAPSED, and it gives back every partition it
 * holds (refused by their homes: its copies are dropped) before it asks again.
 */
final class RemoteBucketSchedule implements BucketSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteBucketSchedule.class);
    static final int LOCK_SERVER = 0;
    /** BUCKET_DONE's flag (body offset 4) for a bucket handed back untrained. */
    static final int ABANDONED = 1;

    private final Rpc rpc;
    private final GraphMeta meta;
    private final PartitionServer homes;
    private final Runnable returnPartitions;
    private final Runnable returnMoved;
    private final long requestTimeoutNanos;
    private final long heartbeatNanos;
    private int epoch;
    private int lastLhs = -1;
    private int lastRhs = -1;
    private int trained;
    private volatile long lease;
    private volatile long lastHeartbeat;
    private long waits;
    private int lapses;
    private int abandoned;

    RemoteBucketSchedule(
            Rpc rpc,
            GraphMeta meta,
            PartitionServer homes,
            Runnable returnPartitions,
            Runnable returnMoved,
            long requestTimeoutNanos,
            long leaseNanos) {
        this.rpc = rpc;
        this.meta = meta;
        this.homes = homes;
        this.returnPartitions = returnPartitions;
        this.returnMoved = returnMoved;
        this.requestTimeoutNanos = requestTimeoutNanos;
        this.heartbeatNanos = leaseNanos / 4;
    }

    @Override
    public int startEpoch(int e) {
        this.epoch = e;
        this.trained = 0;
        return meta.nonEmptyBuckets(Split.TRAIN);
    }

    @Override
    public Bucket next() {
        long park = 100_000;
        while (true) {
            Message m = rpc.call(
                    LOCK_SERVER,
                    MessageType.BUCKET_REQUEST,
                    w -> w.putInt(0, epoch)
                            .putInt(4, lastLhs)
                            .putInt(8, lastRhs)
                            .putInt(12, trained)
                            .putInt(16, homes.homes().version()),
                    requestTimeoutNanos,
                    "a bucket of epoch " + (epoch + 1) + " from the lock server");
            int status = m.intAt(4);
            if (status == MessageType.GRANTED) {
                lastLhs = m.intAt(8);
                lastRhs = m.intAt(12);
                Bucket b = new Bucket(lastLhs, lastRhs, m.intAt(16));
                lastHeartbeat = System.nanoTime();
                lease = m.longAt(24);
                return b;
            }
            if (status == MessageType.EPOCH_DONE) {
                return null;
            }
            if (status == MessageType.EVICTED) {
                throw new TransferException("trainer " + rpc.node().rank() + " was silent for so long that the lock "
                        + "server took it for dead and moved its home partitions to other trainers; it cannot take "
                        + "part in this job any more");
            }
            if (status == MessageType.LAPSED) {
                LOG.warn(
                        "trainer {}: the lock server found this trainer silent for a lease timeout; the partitions "
                                + "it holds went back to their homes, and its copies are dropped",
                        rpc.node().rank());
                lapses++;
                lastLhs = -1;
                lastRhs = -1;
                returnPartitions.run();
                continue;
            }
            waits++;
            rpc.node().checkAlive();
            returnPartitions.run();
            LockSupport.parkNanos(park);
            park = Math.min(2 * park, 20_000_000);
        }
    }

    @Override
    public Bucket upcoming() {
        return null; // known only once the lock server grants it
    }

    @Override
    public void finished(Bucket bucket) {
        long l = lease;
        lease = 0;
        trained++;
        long edges = meta.edgeCount(Split.TRAIN, bucket.lhs(), bucket.rhs());
        // Copies of a dead home's partitions go to their new homes while the lease still keeps others off them.
        returnMoved.run();
        long sent = rpc.node().bytesSent();
        Message m = rpc.call(
                LOCK_SERVER,
                MessageType.BUCKET_DONE,
                w -> w.putInt(0, epoch).putLong(8, l).putLong(16, edges).putLong(24, sent),
                requestTimeoutNanos,
                "the lock server's receipt for bucket (" + bucket.lhs() + ", " + bucket.rhs() + ")");
        if (m.intAt(0) != MessageType.OK) {
            LOG.warn(
                    "trainer {}: the lock server had taken back bucket ({}, {}) before it was done (the lease "
                            + "lapsed); its training is dropped",
                    rpc.node().rank(),
                    bucket.lhs(),
                    bucket.rhs());
            lapses++;
            // The homes took the partitions back: none of them may be kept for the next bucket.
            returnPartitions.run();
        }
    }

    @Override
    public void abandoned(Bucket bucket) {
        long l = lease;
        lease = 0;
        rpc.call(
                LOCK_SERVER,
                MessageType.BUCKET_DONE,
                w -> w.putInt(0, epoch).putInt(4, ABANDONED).putLong(8, l),
                requestTimeoutNanos,
                "the lock server's receipt for untrained bucket (" + bucket.lhs() + ", " + bucket.rhs() + ")");
        abandoned++;
        lastLhs = -1;
        lastRhs = -1;
        returnPartitions.run(); // the ones it did get: the bucket that comes next may not want them
    }

    /** Buckets handed back untrained because their partitions could not be had. */
    int abandonedBuckets() {
        return abandoned;
    }

    /**
     * Called on the poller's thread: when a heartbeat is due, tells the lock server this trainer is alive and
     * renews the lease of the bucket in training (0 while none): a trainer silent for a lease timeout has
     * its partitions taken back, lease or not.
     */
    void heartbeatIfDue(long now) {
        long l = lease;
        if (now - lastHeartbeat > heartbeatNanos) {
            lastHeartbeat = now;
            MessageWriter w = rpc.writer()
                    .start(
                            MessageType.HEARTBEAT,
                            rpc.node().rank(),
                            rpc.replies().newId());
            rpc.node().trySend(LOCK_SERVER, w.putLong(0, l), heartbeatNanos);
        }
    }

    /** Buckets this trainer finished after its lease had lapsed (their training dropped). */
    int lapses() {
        return lapses;
    }

    /** How often the lock server had nothing free for this trainer. */
    long waits() {
        return waits;
    }
}
