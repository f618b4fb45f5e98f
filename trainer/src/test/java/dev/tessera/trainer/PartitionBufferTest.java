package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

class PartitionBufferTest {
    /** A fake disk: stores partitions' first embedding value; counts how many are in memory at once. */
    private final Map<Long, Float> disk = new ConcurrentHashMap<>();

    private final AtomicInteger inMemory = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    private EmbeddingPartition load(int type, int part) {
        EmbeddingPartition p = new EmbeddingPartition(type, part, 2, 3);
        p.embeddings[0] = disk.getOrDefault(PartitionBuffer.key(type, part), 0f);
        peak.accumulateAndGet(inMemory.incrementAndGet(), Math::max);
        return p;
    }

    private void store(EmbeddingPartition p, IntConsumer rowsStored) {
        disk.put(PartitionBuffer.key(p.type, p.part), p.embeddings[0]);
        inMemory.decrementAndGet();
    }

    @Test
    void evictedPartitionsAreWrittenBackAndReloadedWithTheirUpdates() {
        try (PartitionBuffer b = new PartitionBuffer(2, this::load, this::store)) {
            for (int round = 0; round < 3; round++) {
                for (int part = 0; part < 4; part++) {
                    Set<Long> need = Set.of(PartitionBuffer.key(0, part));
                    EmbeddingPartition p = b.acquire(need).get(PartitionBuffer.key(0, part));
                    p.embeddings[0] += 1;
                    b.prefetch(Set.of(PartitionBuffer.key(0, (part + 1) % 4)), need);
                }
            }
            b.flushAll();
            assertTrue(b.loads() >= 4, "loads " + b.loads());
        }
        for (int part = 0; part < 4; part++) {
            assertEquals(3f, disk.get(PartitionBuffer.key(0, part)), "every update survives eviction, part " + part);
        }
        assertTrue(peak.get() <= 2 + 1, "at most the capacity (plus one being written) in memory: " + peak.get());
    }

    @Test
    void aBucketGetsBothItsPartitions() {
        try (PartitionBuffer b = new PartitionBuffer(2, this::load, this::store)) {
            Map<Long, EmbeddingPartition> got = b.acquire(Set.of(PartitionBuffer.key(0, 1), PartitionBuffer.key(1, 3)));
            assertEquals(2, got.size());
            assertEquals(3, got.get(PartitionBuffer.key(1, 3)).part);
            assertEquals(1, got.get(PartitionBuffer.key(1, 3)).type);
        }
    }

    @Test
    void aLoadReusesAnEvictedPartitionsArraysRowByRowBehindItsWriteBack() {
        int rows = 64;
        Map<Long, float[]> rowDisk = new ConcurrentHashMap<>();
        record Spare(EmbeddingPartition arrays, WriteBackProgress writeBack) {}
        ConcurrentLinkedDeque<Spare> spare = new ConcurrentLinkedDeque<>();
        AtomicInteger allocated = new AtomicInteger();
        PartitionBuffer.Source source = (type, part) -> {
            Spare s = spare.poll();
            EmbeddingPartition p = s == null
                    ? new EmbeddingPartition(type, part, rows, 1)
                    : new EmbeddingPartition(type, part, rows, 1, s.arrays());
            WriteBackProgress before = s == null ? WriteBackProgress.finished() : s.writeBack();
            if (s == null) {
                allocated.incrementAndGet();
            }
            float[] stored = rowDisk.get(PartitionBuffer.key(type, part));
            for (int r = 0; r < rows; r++) {
                before.awaitStored(r + 1);
                p.embeddings[r] = stored == null ? part * 1000 + r : stored[r];
            }
            return p;
        };
        PartitionBuffer.Sink sink = new PartitionBuffer.Sink() {
            @Override
            public void store(EmbeddingPartition p, IntConsumer rowsStored) {
                float[] out = new float[rows];
                for (int r = 0; r < rows; r++) {
                    if (r % 8 == 0) {
                        sleepBriefly(); // a slow disk, so a load that did not wait would overtake the write
                    }
                    out[r] = p.embeddings[r];
                    rowsStored.accept(r + 1);
                }
                rowDisk.put(PartitionBuffer.key(p.type, p.part), out);
            }

            @Override
            public void recycle(EmbeddingPartition p, WriteBackProgress writeBack) {
                spare.add(new Spare(p, writeBack));
            }
        };
        try (PartitionBuffer b = new PartitionBuffer(2, source, sink)) {
            for (int round = 0; round < 3; round++) {
                for (int part = 0; part < 4; part++) {
                    EmbeddingPartition p =
                            b.acquire(Set.of(PartitionBuffer.key(0, part))).get(PartitionBuffer.key(0, part));
                    for (int r = 0; r < rows; r++) {
                        p.embeddings[r] += 0.5f;
                    }
                }
            }
            b.flushAll();
        }
        for (int part = 0; part < 4; part++) {
            float[] stored = rowDisk.get(PartitionBuffer.key(0, part));
            for (int r = 0; r < rows; r++) {
                assertEquals(part * 1000 + r + 1.5f, stored[r], "part " + part + " row " + r);
            }
        }
        assertEquals(2, allocated.get(), "swaps reuse the evicted partitions' arrays: no third partition in memory");
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
