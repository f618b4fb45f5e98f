package dev.tessera.trainer;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Arrays of evicted partitions, for the next load of their type (oldest eviction first): swapping then
 * allocates nothing, and a load streams into them behind their write-back, so the heap (and the process's
 * memory) stays at what the buffer holds.
 */
final class SparePartitions {
    /** An evicted partition's arrays, reusable row by row as its write-back progresses. */
    record Spare(EmbeddingPartition arrays, WriteBackProgress writeBack) {}

    private final ConcurrentLinkedDeque<Spare> spare = new ConcurrentLinkedDeque<>();

    void offer(EmbeddingPartition evicted, WriteBackProgress writeBack) {
        spare.add(new Spare(evicted, writeBack));
    }

    /** The oldest spare of {@code type} that holds {@code rows} rows, taken; null when there is none. */
    Spare take(int type, int rows) {
        for (Spare q : spare) {
            if (q.arrays.type == type && q.arrays.fits(rows) && spare.remove(q)) {
                return q;
            }
        }
        return null;
    }
}
