package dev.tessera.trainer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * At most {@code capacity} embedding partitions in memory. A bucket {@link #acquire}s the partitions it
 * needs; others are evicted least recently used first and written back on a background thread; the next
 * bucket's partitions are {@link #prefetch}ed on another, so training waits on disk only when the disk
 * cannot keep up ({@link #waitNanos} says how long it did). A partition being written back is reloaded only
 * after its write finishes. An evicted partition's arrays are offered for reuse as its write starts, so a
 * load can stream into them row by row behind the write: a swap needs no memory beyond the capacity.
 */
public final class PartitionBuffer implements AutoCloseable {
    /** Where partitions come from: the working version, the last checkpoint, or a fresh initialisation. */
    public interface Source {
        EmbeddingPartition load(int type, int part);
    }

    /** Where evicted partitions go: the working version of the checkpoint. */
    public interface Sink {
        /** Stores {@code p}, telling {@code rowsStored} after each block how many of its first rows are stored. */
        void store(EmbeddingPartition p, IntConsumer rowsStored);

        /**
         * {@code p} was evicted and nothing else references it: a load may reuse its arrays, overwriting each
         * row once {@code writeBack} says the row is stored (its write-back starts right after this call).
         */
        default void recycle(EmbeddingPartition p, WriteBackProgress writeBack) {}
    }

    private final int capacity;
    private final Source source;
    private final Sink sink;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> daemon(r, "partition-loader"));
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> daemon(r, "partition-writer"));
    private final LinkedHashMap<Long, Future<EmbeddingPartition>> resident = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Long, Future<?>> writing = new LinkedHashMap<>();
    private long waitNanos;
    private int loads;

    public PartitionBuffer(int capacity, Source source, Sink sink) {
        this.capacity = capacity;
        this.source = source;
        this.sink = sink;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public static long key(int type, int part) {
        return (long) type << 32 | part;
    }

    /** The partitions a bucket needs, loaded (waiting for them if needed); pins them until the next call. */
    public synchronized Map<Long, EmbeddingPartition> acquire(Set<Long> needed) {
        if (needed.size() > capacity) {
            throw new IllegalStateException(
                    "a bucket needs " + needed.size() + " partitions but the buffer holds " + capacity);
        }
        for (long k : needed) {
            if (!resident.containsKey(k)) {
                if (!makeRoom(needed, 1)) {
                    throw new IllegalStateException("no room for partition " + k + " in a buffer of " + capacity);
                }
                startLoad(k);
            }
        }
        Map<Long, EmbeddingPartition> out = new HashMap<>();
        long start = System.nanoTime();
        for (long k : needed) {
            out.put(k, await(resident.get(k)));
        }
        waitNanos += System.nanoTime() - start;
        return out;
    }

    /** Starts loading partitions the next bucket needs, evicting only partitions outside {@code pinned}. */
    public synchronized void prefetch(Set<Long> next, Set<Long> pinned) {
        for (long k : next) {
            if (!resident.containsKey(k)) {
                Set<Long> keep = new HashSet<>(pinned);
                keep.addAll(next);
                if (!makeRoom(keep, 1)) {
                    return;
                }
                startLoad(k);
            }
        }
    }

    private void startLoad(long k) {
        boundPendingWrites();
        Future<?> pending = writing.remove(k);
        loads++;
        resident.put(k, loader.submit(() -> {
            if (pending != null) {
                pending.get();
            }
            return source.load((int) (k >>> 32), (int) k);
        }));
    }

    /** Evicts least recently used partitions outside {@code keep} until {@code slots} more fit. */
    private boolean makeRoom(Set<Long> keep, int slots) {
        Iterator<Map.Entry<Long, Future<EmbeddingPartition>>> it =
                resident.entrySet().iterator();
        List<Map.Entry<Long, Future<EmbeddingPartition>>> victims = new ArrayList<>();
        int size = resident.size();
        while (size + slots > capacity && it.hasNext()) {
            Map.Entry<Long, Future<EmbeddingPartition>> e = it.next();
            if (!keep.contains(e.getKey())) {
                victims.add(e);
                size--;
            }
        }
        if (size + slots > capacity) {
            return false;
        }
        for (Map.Entry<Long, Future<EmbeddingPartition>> v : victims) {
            resident.remove(v.getKey());
            EmbeddingPartition p = await(v.getValue());
            WriteBackProgress progress = new WriteBackProgress();
            sink.recycle(p, progress);
            writing.put(v.getKey(), writer.submit(() -> {
                try {
                    sink.store(p, progress::stored);
                } finally {
                    progress.finish();
                }
                return null;
            }));
        }
        return true;
    }

    /**
     * Keeps at most one write unfinished: before another load, finished writes are forgotten and all but the
     * newest unfinished one are waited for (time that counts as waiting on I/O).
     */
    private void boundPendingWrites() {
        forgetFinishedWrites();
        if (writing.size() <= 1) {
            return;
        }
        long start = System.nanoTime();
        List<Future<?>> pending = new ArrayList<>(writing.values());
        for (int i = 0; i < pending.size() - 1; i++) {
            await(pending.get(i));
        }
        forgetFinishedWrites();
        waitNanos += System.nanoTime() - start;
    }

    /** Drops finished writes, rethrowing a failed one: a lost write-back must stop training, not vanish. */
    private void forgetFinishedWrites() {
        for (Future<?> f : writing.values()) {
            if (f.isDone()) {
                await(f);
            }
        }
        writing.values().removeIf(Future::isDone);
    }

    /** Writes every resident partition (keeping it resident) and waits for all writes: an epoch's end. */
    public synchronized void flushAll() {
        for (Future<EmbeddingPartition> f : resident.values()) {
            sink.store(await(f), stored -> {});
        }
        for (Future<?> w : writing.values()) {
            await(w);
        }
        writing.clear();
    }

    public synchronized long waitNanos() {
        return waitNanos;
    }

    public synchronized int loads() {
        return loads;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a partition", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re
                    ? re
                    : new IllegalStateException("partition load or write failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        loader.shutdownNow();
        writer.shutdownNow();
    }
}
