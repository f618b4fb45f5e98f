package dev.tessera.trainer.eval;

import java.util.Arrays;

/**
 * Every known true edge, as sorted primitive arrays rather than a map of boxed sets: for a (relation,
 * query entity) pair, the distinct entities known on the other side. Lookups are binary searches; the
 * structure holds 12 bytes per edge and direction.
 */
final class KnownEdges {
    private final long[] keys;
    private final int[] values;

    /** From parallel arrays of (relation, query entity, other entity), in any order, repeats allowed. */
    KnownEdges(int[] rel, int[] query, int[] other, int size) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(pair(rel[a], query[a]), pair(rel[b], query[b]));
            return c != 0 ? c : Integer.compare(other[a], other[b]);
        });
        long[] k = new long[size];
        int[] v = new int[size];
        int n = 0;
        for (int idx : order) {
            long key = pair(rel[idx], query[idx]);
            if (n > 0 && k[n - 1] == key && v[n - 1] == other[idx]) {
                continue;
            }
            k[n] = key;
            v[n] = other[idx];
            n++;
        }
        keys = Arrays.copyOf(k, n);
        values = Arrays.copyOf(v, n);
    }

    /** First index of the pair's entities in {@link #entity}; {@link #end} gives the end. */
    int start(int rel, int query) {
        int lo = 0;
        int hi = keys.length;
        long key = pair(rel, query);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    int end(int rel, int query, int start) {
        long key = pair(rel, query);
        int i = start;
        while (i < keys.length && keys[i] == key) {
            i++;
        }
        return i;
    }

    int entity(int index) {
        return values[index];
    }

    /** Whether {@code entity} is among the entities in {@code [start, end)}, which are sorted. */
    boolean contains(int start, int end, int entity) {
        return Arrays.binarySearch(values, start, end, entity) >= 0;
    }

    private static long pair(int rel, int query) {
        return (long) rel << 32 | (query & 0xffffffffL);
    }
}
