package dev.tessera.distributed;

import dev.tessera.trainer.EmbeddingPartition;
import dev.tessera.trainer.PartitionBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trainer taking over the partitions of a home taken for dead: each entity type's partition is restored from
 * the last committed checkpoint on the sender thread, then installed among the trainer's homes. Until then it
 * is being adopted, and the partition server answers fetches and returns of it BUSY.
 */
final class HomeAdoption {
    private static final Logger LOG = LoggerFactory.getLogger(HomeAdoption.class);

    /** Reads a partition as the last committed checkpoint holds it, or initialises it where none does. */
    interface Restorer {
        /** Fills {@code p}'s arrays; returns the data version read (0: initialised). */
        int restore(EmbeddingPartition p);
    }

    /** Where a restored partition goes: among the trainer's homes; true if it was also written for the epoch. */
    interface Installer {
        boolean install(EmbeddingPartition p);
    }

    private final int rank;
    private final long[][] rowsOf;
    private final int dimension;
    private final Restorer restorer;
    private final ExecutorService sender;
    private final Installer installer;
    private final Set<Long> adopting = new HashSet<>();

    HomeAdoption(
            int rank, long[][] rowsOf, int dimension, Restorer restorer, ExecutorService sender, Installer installer) {
        this.rank = rank;
        this.rowsOf = rowsOf;
        this.dimension = dimension;
        this.restorer = restorer;
        this.sender = sender;
        this.installer = installer;
    }

    /** Starts adopting partition indices {@code parts} (every entity type's). */
    void adopt(List<Integer> parts) {
        synchronized (this) {
            for (int p : parts) {
                for (int t = 0; t < rowsOf.length; t++) {
                    adopting.add(PartitionBuffer.key(t, p));
                }
            }
        }
        for (int p : parts) {
            sender.execute(() -> restore(p));
        }
    }

    synchronized boolean isAdopting(int type, int part) {
        return adopting.contains(PartitionBuffer.key(type, part));
    }

    private void restore(int part) {
        for (int t = 0; t < rowsOf.length; t++) {
            EmbeddingPartition p = new EmbeddingPartition(t, part, Math.toIntExact(rowsOf[t][part]), dimension);
            int version;
            try {
                version = restorer.restore(p);
            } catch (RuntimeException e) {
                LOG.error(
                        "trainer {}: cannot restore adopted partition {}/{}: buckets that need it cannot be trained",
                        rank,
                        t,
                        part,
                        e);
                continue;
            }
            boolean written = installer.install(p); // before it stops being "adopting": no fetch finds neither
            synchronized (this) {
                adopting.remove(PartitionBuffer.key(t, part));
            }
            LOG.warn(
                    "trainer {}: adopted partition {}/{} restored from {}{}",
                    rank,
                    t,
                    part,
                    version > 0 ? "checkpoint data version " + version : "its initial values (no checkpoint yet)",
                    written ? " and written for the epoch's checkpoint" : "");
        }
    }
}
