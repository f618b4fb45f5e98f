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
import java.util.ArrayList;
import java.util.Arrays;
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
    private final PartitionServer homes;
    private final PartitionFetcher fetcher;
    private final GraphStore graph;
    private final TrainingSettings settings;
    private final long[][] rowsOf;
    private final StartupCheckpoint startup;
    private final Path stagingRoot;
    private final long transferTimeoutNanos;
    private final Map<Long, EmbeddingPartition> held = new HashMap<>();
    private final Map<Long, AliasTable> degrees = new HashMap<>();
    private int working;
    private long waitNanos;

    RemotePartitionStore(
            PartitionFetcher fetcher,
            PartitionServer homes,
            GraphStore graph,
            TrainingSettings settings,
            long[][] rowsOf,
            StartupCheckpoint startup,
            Path stagingRoot,
            long transferTimeoutNanos) {
        this.homes = homes;
        this.fetcher = fetcher;
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
            // yet written anything); later this trainer reads the checkpoint only to restore a partition it adopts.
            homes.load(startup.store(), previous, settings.initScale(), settings.seed());
            startup.close();
        }
        homes.epochCommitted(); // the last epoch's (this one starts only after its commit)
    }

    @Override
    public Map<Long, EmbeddingPartition> acquire(Set<Long> needed) {
        long start = System.nanoTime();
        returnMoved();
        for (Long key : new ArrayList<>(held.keySet())) {
            if (!needed.contains(key)) {
                returnOrKeep(key);
            }
        }
        Map<Long, EmbeddingPartition> out = new HashMap<>();
        for (Long key : needed) {
            if (!held.containsKey(key)) {
                held.put(key, withDegrees(fetcher.obtain((int) (key >>> 32), (int) (long) key)));
            }
            out.put(key, held.get(key));
        }
        waitNanos += System.nanoTime() - start;
        return out;
    }

    @Override
    public void prefetch(Set<Long> next, Set<Long> pinned) {
        // The next bucket is not known before the lock server grants it: nothing to start early.
    }

    /** Returns the partitions this trainer holds whose home was taken for dead to their new homes. */
    void returnMoved() {
        for (Long key : new ArrayList<>(held.keySet())) {
            if (fetcher.homeMoved(held.get(key))) {
                returnOrKeep(key);
            }
        }
    }

    /** Returns every partition this trainer holds to its home (before it waits for a bucket, and at an epoch's end). */
    void giveBackAll() {
        for (Long key : new ArrayList<>(held.keySet())) {
            returnOrKeep(key);
        }
    }

    /**
     * Returns a partition to its home; one whose home does not take it (silent, paused) stays held, to be
     * returned at the next chance: nobody else can have it before its home answers again anyway.
     */
    private void returnOrKeep(long key) {
        try {
            fetcher.giveBack(held.get(key));
            held.remove(key);
        } catch (TransferException e) {
            LOG.warn("kept partition {}/{} for now: {}", key >>> 32, (int) key, e.getMessage());
        }
    }

    @Override
    public int[][] finishEpoch() {
        // Other trainers may each still be returning one (a return gets its tries of the transfer timeout).
        long patience = 4 * PartitionFetcher.TRIES * transferTimeoutNanos;
        long deadline = System.nanoTime() + patience;
        for (giveBackAll(); !held.isEmpty(); giveBackAll()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TransferException("partitions " + held.keySet() + " could not be returned to their homes");
            }
            LockSupport.parkNanos(transferTimeoutNanos / 4);
        }
        homes.awaitAllIn(patience);
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
            Arrays.fill(now[t], working);
        }
        return now;
    }

    @Override
    public long waitNanos() {
        return waitNanos;
    }

    @Override
    public int loads() {
        return fetcher.fetches();
    }

    @Override
    public void close() {
        startup.close();
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
}
