package dev.tessera.jobs;

import dev.tessera.partitioner.EntityRecord;
import org.apache.spark.Partitioner;

/**
 * Deals entities to tasks by ranges of their name's hash ({@code k1}, unsigned), the hash the store's name →
 * entity index leads with: each task's entities, in key order, are a run of that index that no other task's
 * overlaps, so tasks write its SST files themselves, with no sort of the names across tasks. The hash is
 * uniform, so the ranges are even.
 */
final class EntityHashRanges extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int tasks;

    EntityHashRanges(int tasks) {
        this.tasks = tasks;
    }

    @Override
    public int numPartitions() {
        return tasks;
    }

    @Override
    public int getPartition(Object key) {
        return task(((EntityRecord.Key96) key).k1());
    }

    /** The task of hash {@code k1}: its high 32 bits scaled to the task count (monotone in unsigned order). */
    int task(long k1) {
        return (int) (((k1 >>> 32) * tasks) >>> 32);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntityHashRanges r && r.tasks == tasks;
    }

    @Override
    public int hashCode() {
        return tasks;
    }
}
