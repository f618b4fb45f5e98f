package dev.tessera.distributed;

import dev.tessera.storage.CheckpointStore;
import dev.tessera.trainer.EmbeddingPartition;
import dev.tessera.trainer.PartitionBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions whose home is this trainer ({@link HomeMap}: {@code part mod trainers == rank}, plus any it
 * adopted from a trainer taken for dead), kept in memory for the whole run. A partition is either in (here,
 * current) or out to one trainer, which has it for a bucket and must return it: a fetch of a partition that is out (or not yet loaded) is answered {@link MessageType#BUSY}
 * and retried by the asker. The lock server already keeps two trainers off one partition; this check
 * keeps a trainer from reading a partition whose last holder has not yet returned it.
 *
 * <p>Fetches are answered from a sender thread, so the poller never blocks on a large send; returned
 * chunks are written straight into the home's arrays (the partition is out, nobody else uses them).
 *
 * <p>An adopted partition is restored from the last committed checkpoint on the sender thread (fetches and
 * returns of it are answered BUSY meanwhile); if this trainer has already written its epoch's partition
 * files, the adopted one is written beside them, so the epoch's checkpoint still holds every partition. Until
 * someone fetches it, a copy a live trainer had fetched from the dead home is taken in its place when it comes
 * back ({@link MessageType#RECOVERED}): then nothing of the partition is lost.
 */
final class PartitionServer {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionServer.class);

    /** Where this trainer's epoch partition files went, until the epoch's checkpoint is committed. */
    private record Staging(Path dir, int version) {}

    private final Rpc rpc;
    private final int rank;
    private final ExecutorService sender;
    private final long[][] rowsOf;
    private final int dimension;
    private final HomeAdoption adoption;
    private final Map<Long, HomePartition> homes = new LinkedHashMap<>();
    private volatile HomeMap map;
    private volatile boolean loaded;
    private volatile long released;
    private Staging staging;

    /** @param rowsOf {@code rowsOf[type][part]}: every partition's rows */
    PartitionServer(Rpc rpc, ExecutorService sender, long[][] rowsOf, int dimension, HomeAdoption.Restorer restorer) {
        this.rpc = rpc;
        this.rank = rpc.node().rank();
        this.sender = sender;
        this.rowsOf = rowsOf;
        this.dimension = dimension;
        this.adoption = new HomeAdoption(rank, rowsOf, dimension, restorer, sender, this::installAdopted);
        this.map = HomeMap.initial(
                rowsOf.length == 0 ? 0 : rowsOf[0].length, rpc.node().trainers());
    }

    /** The trainer that is partition index {@code part}'s home, by the newest map this trainer knows. */
    int homeOf(int part) {
        return map.homeOf(part);
    }

    HomeMap homes() {
        return map;
    }

    /**
     * A newer home map (poller thread): the partitions it makes this trainer's home are restored from the
     * last committed checkpoint ({@link HomeAdoption}).
     */
    void onHomeMap(HomeMap next) {
        List<Integer> adopted = new ArrayList<>();
        synchronized (this) {
            HomeMap before = map;
            if (next.version() <= before.version()) {
                return;
            }
            map = next;
            for (int p : next.partsOf(rank)) {
                if (before.homeOf(p) != rank) {
                    adopted.add(p);
                }
            }
        }
        LOG.info("trainer {}: {}; adopting partitions {}", rank, next, adopted);
        adoption.adopt(adopted);
    }

    /**
     * A restored partition joins the homes, to be replaced by a live trainer's fresher copy until someone takes
     * it; if this trainer's epoch files are already written it is written beside them (unless the epoch was
     * committed meanwhile: rank 0 then removed the directory, and the partition is in the next one). True then.
     */
    private boolean installAdopted(EmbeddingPartition p) {
        Staging pending;
        synchronized (this) {
            HomePartition h = new HomePartition(p);
            h.recoverable = true;
            homes.put(PartitionBuffer.key(p.type, p.part), h);
            pending = staging;
        }
        boolean written = pending != null && Files.isDirectory(pending.dir());
        if (written) {
            StagedPartitionFiles.write(p, pending.dir(), pending.version(), rank);
        }
        return written;
    }

    /** The epoch whose files this trainer wrote is committed: adoptions from now on wait for the next epoch. */
    synchronized void epochCommitted() {
        staging = null;
    }

    /**
     * Loads this trainer's home partitions: from {@code checkpoint} at the version {@code versions[type][part]}
     * names, or initialised as a single machine would (version 0). {@code rowsOf[type][part]} are their sizes.
     */
    void load(CheckpointStore checkpoint, int[][] versions, double initScale, long seed) {
        int d = dimension;
        for (int t = 0; t < rowsOf.length; t++) {
            for (int q = 0; q < rowsOf[t].length; q++) {
                if (map.homeOf(q) != rank) {
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
                    homes.put(PartitionBuffer.key(t, q), new HomePartition(p));
                }
            }
        }
        loaded = true;
        LOG.info("trainer {}: {} home partitions loaded ({} MB)", rank, homes.size(), homeBytes() >> 20);
    }

    /** Bytes of the home partitions' arrays: this trainer's share of the model. */
    synchronized long homeBytes() {
        long bytes = 0;
        for (HomePartition h : homes.values()) {
            bytes += 4L * (h.partition.embeddings.length + h.partition.state.length);
        }
        return bytes;
    }

    /** A fetch from another trainer (poller thread): send the partition, or say it is busy. */
    void onFetch(Message m) {
        int peer = m.senderRank();
        long correlation = m.correlation();
        int type = m.intAt(0);
        int part = m.intAt(4);
        HomePartition h = home(type, part);
        if (!loaded || h == null && adoption.isAdopting(type, part)) {
            rpc.reply(peer, correlation, MessageType.ACK, w -> w.putInt(0, MessageType.BUSY));
            return;
        }
        if (h == null) {
            LOG.warn(
                    "trainer {}: trainer {} asked for partition {}/{}, whose home is not here", rank, peer, type, part);
            rpc.reply(peer, correlation, MessageType.ACK, w -> w.putInt(0, MessageType.FAILED));
            return;
        }
        synchronized (h) {
            // The asker itself may ask again (its last fetch failed on the way): it holds no other copy.
            if (h.outTo != HomePartition.IN && h.outTo != peer) {
                rpc.reply(peer, correlation, MessageType.ACK, w -> w.putInt(0, MessageType.BUSY));
                return;
            }
            h.outTo = peer;
            h.recoverable = false;
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
                    h.outTo = HomePartition.IN;
                }
            }
        });
    }

    /** A chunk of a partition coming home (poller thread); the last one is acknowledged. */
    void onReturnChunk(Message m) {
        int peer = m.senderRank();
        int type = m.intAt(PartitionTransfer.TYPE);
        int part = m.intAt(PartitionTransfer.PART);
        boolean first = m.longAt(PartitionTransfer.FIRST) == 0;
        HomePartition h = home(type, part);
        if (h == null && first && adoption.isAdopting(type, part)) {
            rpc.reply(peer, m.correlation(), MessageType.ACK, w -> w.putInt(0, MessageType.BUSY));
            return;
        }
        if (h != null && first) {
            synchronized (h) {
                if (h.recoverable && h.outTo == HomePartition.IN) {
                    // The copy the peer fetched from the partition's dead home: fresher than the checkpoint's.
                    h.outTo = peer;
                    h.recoverable = false;
                    h.recovering = true;
                }
            }
        }
        if (h == null || h.outTo != peer) {
            if (first) { // once per return, not per chunk
                LOG.warn("trainer {}: refused partition {}/{} from trainer {}, not out to it", rank, type, part, peer);
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
        boolean recovered = h.recovering;
        synchronized (h) {
            h.outTo = HomePartition.IN;
            h.recovering = false;
        }
        if (recovered) {
            LOG.warn(
                    "trainer {}: partition {}/{} recovered from trainer {}'s copy, nothing lost",
                    rank,
                    type,
                    part,
                    peer);
        }
        rpc.reply(
                peer,
                m.correlation(),
                MessageType.ACK,
                w -> w.putInt(0, recovered ? MessageType.RECOVERED : MessageType.OK));
    }

    /**
     * This trainer gives back a copy of a partition it is now the home of, fetched from a home since taken for
     * dead: it replaces the restored one if nobody has taken that yet (waiting for the restore if need be).
     * True if it did.
     */
    boolean recoverLocal(EmbeddingPartition copy, long timeoutNanos) {
        rpc.node()
                .awaitUntil(
                        () -> !adoption.isAdopting(copy.type, copy.part),
                        rpc.node().after(timeoutNanos),
                        1_000_000);
        HomePartition h = home(copy.type, copy.part);
        if (h == null || h.partition == copy) {
            return false;
        }
        synchronized (h) {
            if (!h.recoverable || h.outTo != HomePartition.IN) {
                return false;
            }
            h.recoverable = false;
            System.arraycopy(copy.embeddings, 0, h.partition.embeddings, 0, h.partition.rows * h.partition.d);
            System.arraycopy(copy.state, 0, h.partition.state, 0, h.partition.rows);
        }
        LOG.warn(
                "trainer {}: adopted partition {}/{} recovered from this trainer's own copy: none of its training "
                        + "is lost",
                rank,
                copy.type,
                copy.part);
        return true;
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
        List<HomePartition> all;
        synchronized (this) {
            all = new ArrayList<>(homes.values());
        }
        for (HomePartition h : all) {
            synchronized (h) {
                if (h.outTo != holder) {
                    continue;
                }
                h.outTo = HomePartition.IN;
                h.returning = null;
                h.recovering = false;
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
        HomePartition h = home(type, part);
        if (h == null) {
            return null; // adopted, still being restored
        }
        synchronized (h) {
            if (!loaded || h.outTo != HomePartition.IN) {
                return null;
            }
            h.outTo = rank;
            h.recoverable = false;
            return h.partition;
        }
    }

    void checkIn(int type, int part) {
        HomePartition h = home(type, part);
        synchronized (h) {
            // A copy fetched from a home that died and whose partition this trainer then adopted is not the
            // adopted one (which may be out to nobody, or to another trainer): only this trainer's own check-out ends.
            if (h.outTo == rank) {
                h.outTo = HomePartition.IN;
            }
        }
    }

    /** Waits until every home partition is back (at an epoch's end); throws naming the holders after the timeout. */
    void awaitAllIn(long timeoutNanos) {
        if (!rpc.node().awaitUntil(() -> away().isEmpty(), rpc.node().after(timeoutNanos), 1_000_000)) {
            throw new TransferException("trainer " + rank + ": home partitions never came back: " + away());
        }
    }

    /** The home partitions out at other trainers, each with where it is. */
    private synchronized List<String> away() {
        List<String> out = new ArrayList<>();
        for (HomePartition h : homes.values()) {
            if (h.outTo != HomePartition.IN) {
                out.add(h.partition.type + "/" + h.partition.part + " (at trainer " + h.outTo + ")");
            }
        }
        return out;
    }

    /**
     * Writes every home partition of data version {@code version} as SST files in {@code dir}; partitions
     * adopted before {@link #epochCommitted} are written there too.
     */
    synchronized void writeFiles(Path dir, int version) {
        for (HomePartition h : homes.values()) {
            StagedPartitionFiles.write(h.partition, dir, version, rank);
        }
        staging = new Staging(dir, version);
    }

    private synchronized HomePartition home(int type, int part) {
        return homes.get(PartitionBuffer.key(type, part));
    }
}
