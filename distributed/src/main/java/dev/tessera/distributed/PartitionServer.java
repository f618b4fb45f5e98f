package dev.tessera.distributed;

import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.PartitionFiles;
import dev.tessera.trainer.EmbeddingPartition;
import dev.tessera.trainer.PartitionBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions whose home is this trainer ({@code part mod trainers == rank}), kept in memory for the
 * whole run. A partition is either in (here, current) or out to one trainer, which has it for a bucket and
 * must return it: a fetch of a partition that is out (or not yet loaded) is answered {@link MessageType#BUSY}
 * and retried by the asker. The lock server already keeps two trainers off one partition; this check
 * keeps a trainer from reading a partition whose last holder has not yet returned it.
 *
 * <p>Fetches are answered from a sender thread, so the poller never blocks on a large send; returned
 * chunks are written straight into the home's arrays (the partition is out, nobody else uses them).
 */
final class PartitionServer {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionServer.class);
    private static final int IN = -1;

    /** One home partition and where it is. */
    private static final class Home {
        final EmbeddingPartition partition;
        volatile int outTo = IN;
        PartitionTransfer.Receiver returning;
        long returningCorrelation;

        Home(EmbeddingPartition partition) {
            this.partition = partition;
        }
    }

    private final Rpc rpc;
    private final int rank;
    private final int trainers;
    private final ExecutorService sender;
    private final Map<Long, Home> homes = new LinkedHashMap<>();
    private volatile boolean loaded;
    private volatile long released;

    PartitionServer(Rpc rpc, ExecutorService sender) {
        this.rpc = rpc;
        this.rank = rpc.node().rank();
        this.trainers = rpc.node().trainers();
        this.sender = sender;
    }

    static int homeOf(int part, int trainers) {
        return part % trainers;
    }

    /**
     * Loads this trainer's home partitions: from {@code checkpoint} at the version {@code versions[type][part]}
     * names, or initialised as a single machine would (version 0). {@code rowsOf[type][part]} are their sizes.
     */
    void load(CheckpointStore checkpoint, int[][] versions, long[][] rowsOf, int d, double initScale, long seed) {
        for (int t = 0; t < rowsOf.length; t++) {
            for (int q = 0; q < rowsOf[t].length; q++) {
                if (homeOf(q, trainers) != rank) {
                    continue;
                }
                int rows = Math.toIntExact(rowsOf[t][q]);
                EmbeddingPartition p = new EmbeddingPartition(t, q, rows, d);
                if (versions[t][q] > 0) {
                    checkpoint.readPartition(versions[t][q], t, q, p.embeddings, p.state, rows, d);
                } else {
                    p.initialize(initScale, seed);
                }
                synchronized (this) {
                    homes.put(PartitionBuffer.key(t, q), new Home(p));
                }
            }
        }
        loaded = true;
        LOG.info("trainer {}: {} home partitions loaded ({} MB)", rank, homes.size(), homeBytes() >> 20);
    }

    /** Bytes of the home partitions' arrays: this trainer's share of the model. */
    synchronized long homeBytes() {
        long bytes = 0;
        for (Home h : homes.values()) {
            bytes += 4L * (h.partition.embeddings.length + h.partition.state.length);
        }
        return bytes;
    }

    /** A fetch from another trainer (poller thread): send the partition, or say it is busy. */
    void onFetch(Message m) {
        int peer = m.senderRank();
        long correlation = m.correlation();
        if (!loaded) {
            rpc.reply(peer, correlation, MessageType.ACK, w -> w.putInt(0, MessageType.BUSY));
            return;
        }
        Home h = home(m.intAt(0), m.intAt(4));
        if (h == null) {
            LOG.warn(
                    "trainer {}: trainer {} asked for partition {}/{}, whose home is not here",
                    rank,
                    peer,
                    m.intAt(0),
                    m.intAt(4));
            rpc.reply(peer, correlation, MessageType.ACK, w -> w.putInt(0, MessageType.FAILED));
            return;
        }
        synchronized (h) {
            // The asker itself may ask again (its last fetch failed on the way): it holds no other copy.
            if (h.outTo != IN && h.outTo != peer) {
                rpc.reply(peer, correlation, MessageType.ACK, w -> w.putInt(0, MessageType.BUSY));
                return;
            }
            h.outTo = peer;
        }
        sender.execute(() -> {
            try {
                PartitionTransfer.send(rpc.node(), rpc.writer(), peer, correlation, h.partition);
            } catch (RuntimeException e) {
                LOG.warn(
                        "trainer {}: sending partition {}/{} to trainer {} failed; it stays here: {}",
                        rank,
                        h.partition.type,
                        h.partition.part,
                        peer,
                        e.getMessage());
                synchronized (h) {
                    h.outTo = IN;
                }
            }
        });
    }

    /** A chunk of a partition coming home (poller thread); the last one is acknowledged. */
    void onReturnChunk(Message m) {
        int peer = m.senderRank();
        Home h = home(m.intAt(PartitionTransfer.TYPE), m.intAt(PartitionTransfer.PART));
        if (h == null || h.outTo != peer) {
            if (m.longAt(PartitionTransfer.FIRST) == 0) { // once per return, not per chunk
                LOG.warn(
                        "trainer {}: trainer {} returned partition {}/{} it does not hold: refused",
                        rank,
                        peer,
                        m.intAt(PartitionTransfer.TYPE),
                        m.intAt(PartitionTransfer.PART));
                rpc.reply(peer, m.correlation(), MessageType.ACK, w -> w.putInt(0, MessageType.STALE));
            }
            return;
        }
        if (h.returning == null || h.returningCorrelation != m.correlation()) {
            h.returning = new PartitionTransfer.Receiver(h.partition);
            h.returningCorrelation = m.correlation();
        }
        if (!h.returning.accept(m)) {
            return;
        }
        String problem = h.returning.problem();
        h.returning = null;
        if (problem != null) {
            LOG.warn(
                    "trainer {}: return of partition {}/{} from trainer {} failed ({}); awaiting a resend",
                    rank,
                    h.partition.type,
                    h.partition.part,
                    peer,
                    problem);
            rpc.reply(peer, m.correlation(), MessageType.ACK, w -> w.putInt(0, MessageType.FAILED));
            return;
        }
        synchronized (h) {
            h.outTo = IN;
        }
        rpc.reply(peer, m.correlation(), MessageType.ACK, w -> w.putInt(0, MessageType.OK));
    }

    /**
     * The lock server found trainer {@code holder} silent for a lease timeout (poller thread): every home
     * partition out to it comes home as it was when it went out — the holder's training of it since is lost,
     * a half-received return included (its rows are then part old, part new) — and the holder's later return
     * of it is refused as stale.
     */
    void onRelease(int holder) {
        if (holder == rank) {
            return;
        }
        List<Home> all;
        synchronized (this) {
            all = new ArrayList<>(homes.values());
        }
        for (Home h : all) {
            synchronized (h) {
                if (h.outTo != holder) {
                    continue;
                }
                h.outTo = IN;
                h.returning = null;
            }
            released++;
            LOG.warn(
                    "trainer {}: took partition {}/{} back from trainer {}, which went silent; its updates of the "
                            + "partition since it fetched it are lost",
                    rank,
                    h.partition.type,
                    h.partition.part,
                    holder);
        }
    }

    /** Partitions taken back from trainers that went silent. */
    long released() {
        return released;
    }

    /** Takes a home partition for this trainer's own bucket; null while it is out or not yet loaded. */
    EmbeddingPartition checkOutLocal(int type, int part) {
        Home h = home(type, part);
        synchronized (h) {
            if (!loaded || h.outTo != IN) {
                return null;
            }
            h.outTo = rank;
            return h.partition;
        }
    }

    void checkInLocal(int type, int part) {
        Home h = home(type, part);
        synchronized (h) {
            h.outTo = IN;
        }
    }

    /** Waits until every home partition is back (at an epoch's end); throws naming the holders after the timeout. */
    void awaitAllIn(long timeoutNanos) {
        if (!rpc.node().awaitUntil(() -> away().isEmpty(), AeronNode.after(timeoutNanos), 1_000_000)) {
            throw new TransferException("trainer " + rank + ": home partitions never came back: " + away());
        }
    }

    /** The home partitions out at other trainers, each with where it is. */
    private synchronized List<String> away() {
        List<String> out = new ArrayList<>();
        for (Home h : homes.values()) {
            if (h.outTo != IN) {
                out.add(h.partition.type + "/" + h.partition.part + " (at trainer " + h.outTo + ")");
            }
        }
        return out;
    }

    /** Writes every home partition of data version {@code version} as SST files in {@code dir}. */
    synchronized List<PartitionFiles> writeFiles(Path dir, int version) {
        List<PartitionFiles> files = new ArrayList<>();
        for (Home h : homes.values()) {
            EmbeddingPartition p = h.partition;
            files.add(PartitionFiles.write(
                    dir,
                    "r" + rank + "-t" + p.type + "-p" + p.part,
                    version,
                    p.type,
                    p.part,
                    p.embeddings,
                    p.state,
                    p.rows,
                    p.d,
                    rows -> {}));
        }
        return files;
    }

    private synchronized Home home(int type, int part) {
        return homes.get(PartitionBuffer.key(type, part));
    }
}
