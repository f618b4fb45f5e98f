package dev.tessera.partitioner;

import java.io.Serializable;
import java.util.PriorityQueue;

/**
 * Deals entities, in order of falling degree, to partitions so every partition gets about the same number
 * of edge endpoints. The head (the highest-degree entities, whose degrees the driver collects) goes greedily
 * to the least loaded partition (longest-processing-time scheduling, within one hub of optimal); the long
 * tail of small degrees is dealt in a snake, which keeps both degree sums and entity counts even.
 */
public final class DegreeBalancedDealer implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Entities per type placed greedily: bounds the driver's memory, and beyond it degrees are small. */
    public static final int HEAD = 100_000;

    private final int[] partitions;
    private final int[][] head;

    /** @param headDegrees per type, the degrees of its first ranks in falling order (at most {@link #HEAD}) */
    public DegreeBalancedDealer(int[] partitions, long[][] headDegrees) {
        this.partitions = partitions.clone();
        this.head = new int[partitions.length][];
        for (int t = 0; t < partitions.length; t++) {
            head[t] = greedy(headDegrees[t], partitions[t]);
        }
    }

    private static int[] greedy(long[] degrees, int p) {
        int[] out = new int[degrees.length];
        // (load, partition), least load first, lowest partition on ties.
        PriorityQueue<long[]> loads =
                new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 0; i < p; i++) {
            loads.add(new long[] {0, i});
        }
        for (int i = 0; i < degrees.length; i++) {
            long[] least = loads.poll();
            out[i] = (int) least[1];
            least[0] += Math.max(1, degrees[i]);
            loads.add(least);
        }
        return out;
    }

    /** The partition of the entity of the given type at {@code rank} in falling-degree order. */
    public int partition(int type, long rank) {
        int[] h = head[type];
        if (rank < h.length) {
            return h[(int) rank];
        }
        return PartitionStrategy.snakePartition(rank - h.length, partitions[type]);
    }
}
