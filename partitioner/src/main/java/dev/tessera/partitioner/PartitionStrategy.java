package dev.tessera.partitioner;

import java.util.Locale;

/**
 * How entities are assigned to partitions. The functions here are the engine-independent part: the Spark
 * job computes the ranks they take (by degree, by community) and applies them to every entity.
 */
public enum PartitionStrategy {
    /** A stable hash of the name: no pass over the graph, balanced entity counts in expectation. */
    HASH,
    /**
     * Entities in order of falling degree dealt out in a snake (0..P-1, P-1..0, ...), so each partition gets
     * an equal share of hubs and of edge endpoints, which balances edges per bucket, not only entities.
     */
    DEGREE_BALANCED,
    /**
     * Communities found by label propagation laid out one after another and cut into P equal ranges, so most
     * edges stay inside one partition and land in diagonal buckets.
     */
    LOCALITY;

    public static PartitionStrategy parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown partition strategy '" + s + "'; expected hash, degree_balanced or locality");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Partition by the name's 64-bit {@link EntityKey} (stable across JVMs and runs). */
    public static int hashPartition(String name, int partitions) {
        return hashPartition(EntityKey.k1(name), partitions);
    }

    /** Partition of an entity key: its high bits (the key is already well mixed) modulo P. */
    public static int hashPartition(long k1, int partitions) {
        return (int) Long.remainderUnsigned(k1 >>> 16, partitions);
    }

    /** The snake deal: rank 0..P-1 go to 0..P-1, ranks P..2P-1 to P-1..0, and so on. */
    public static int snakePartition(long rank, int partitions) {
        long round = rank / partitions;
        int pos = (int) (rank % partitions);
        return round % 2 == 0 ? pos : partitions - 1 - pos;
    }

    /** Contiguous ranges: rank r of n goes to floor(r * P / n), so partitions differ in size by at most one. */
    public static int rangePartition(long rank, long count, int partitions) {
        return (int) Math.min(partitions - 1, (rank * partitions) / Math.max(1, count));
    }
}
