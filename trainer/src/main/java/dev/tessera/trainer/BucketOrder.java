package dev.tessera.trainer;

import dev.tessera.core.config.BucketOrderName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Orders of the P×P buckets in an epoch (PBG's {@code bucket_order}, plus {@code buffer_aware}, Marius'
 * idea: always take the bucket that needs the fewest partitions loaded into a buffer of c partitions), and
 * the number of partition loads an order costs with such a buffer.
 */
public final class BucketOrder {
    private BucketOrder() {}

    /**
     * Partition loads one epoch costs under each order, with P partitions and a buffer of {@code buffer}
     * (simulated with the trainer's LRU policy, first epoch's seed): what choosing an order saves. Keyed by the
     * orders' config names, in {@link BucketOrderName}'s order.
     */
    public static java.util.Map<String, Integer> loadsPerEpoch(int p, int buffer, long seed) {
        java.util.Map<String, Integer> loads = new java.util.LinkedHashMap<>();
        for (BucketOrderName name : BucketOrderName.values()) {
            loads.put(name.configName(), loads(of(name, p, buffer, seed), buffer));
        }
        return loads;
    }

    public static List<int[]> of(BucketOrderName name, int p, int buffer, long seed) {
        return switch (name) {
            case RANDOM -> shuffled(p, seed);
            case INSIDE_OUT -> insideOut(p);
            case OUTSIDE_IN -> {
                List<int[]> o = insideOut(p);
                Collections.reverse(o);
                yield o;
            }
            case AFFINITY -> affinity(p, seed);
            case BUFFER_AWARE -> bufferAware(p, buffer, seed);
        };
    }

    private static List<int[]> all(int p) {
        List<int[]> b = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                b.add(new int[] {i, j});
            }
        }
        return b;
    }

    private static List<int[]> shuffled(int p, long seed) {
        List<int[]> b = all(p);
        Collections.shuffle(b, new Random(seed));
        return b;
    }

    /** Shell by shell from (0,0): for k = 0..P-1 the buckets with max(i, j) = k, diagonal first. */
    private static List<int[]> insideOut(int p) {
        List<int[]> o = new ArrayList<>();
        for (int k = 0; k < p; k++) {
            o.add(new int[] {k, k});
            for (int j = 0; j < k; j++) {
                o.add(new int[] {k, j});
                o.add(new int[] {j, k});
            }
        }
        return o;
    }

    /** Random start, then always a bucket sharing a partition with the previous one when one is left. */
    private static List<int[]> affinity(int p, long seed) {
        List<int[]> left = shuffled(p, seed);
        List<int[]> o = new ArrayList<>();
        int[] prev = left.remove(0);
        o.add(prev);
        while (!left.isEmpty()) {
            int pick = 0;
            for (int i = 0; i < left.size(); i++) {
                int[] b = left.get(i);
                if (b[0] == prev[0] || b[0] == prev[1] || b[1] == prev[0] || b[1] == prev[1]) {
                    pick = i;
                    break;
                }
            }
            prev = left.remove(pick);
            o.add(prev);
        }
        return o;
    }

    /** Greedy: the next bucket is one whose partitions are already buffered, else the one needing fewest loads. */
    private static List<int[]> bufferAware(int p, int buffer, long seed) {
        List<int[]> left = shuffled(p, seed);
        List<int[]> o = new ArrayList<>();
        LinkedHashSet<Integer> resident = new LinkedHashSet<>();
        while (!left.isEmpty()) {
            int best = 0;
            int bestCost = Integer.MAX_VALUE;
            for (int i = 0; i < left.size(); i++) {
                int[] b = left.get(i);
                int cost = (resident.contains(b[0]) ? 0 : 1) + (b[0] != b[1] && !resident.contains(b[1]) ? 1 : 0);
                if (cost < bestCost) {
                    best = i;
                    bestCost = cost;
                }
            }
            int[] b = left.remove(best);
            touch(resident, b, buffer);
            o.add(b);
        }
        return o;
    }

    /** Partition loads of an order with an LRU buffer of {@code buffer} partitions (starting empty). */
    public static int loads(List<int[]> order, int buffer) {
        LinkedHashSet<Integer> resident = new LinkedHashSet<>();
        int loads = 0;
        for (int[] b : order) {
            loads += (resident.contains(b[0]) ? 0 : 1) + (b[0] != b[1] && !resident.contains(b[1]) ? 1 : 0);
            touch(resident, b, buffer);
        }
        return loads;
    }

    private static void touch(LinkedHashSet<Integer> resident, int[] b, int buffer) {
        Set<Integer> need = new java.util.HashSet<>(List.of(b[0], b[1]));
        for (int q : need) {
            resident.remove(q);
            resident.add(q);
        }
        while (resident.size() > Math.max(buffer, need.size())) {
            Integer victim = null;
            for (Integer q : resident) {
                if (!need.contains(q)) {
                    victim = q;
                    break;
                }
            }
            resident.remove(victim);
        }
    }
}
