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
        // Primitive throughout (boxed sort indices cost about 20 bytes an edge): a counting sort by relation,
        // then each relation's (query, other) pairs, packed into one long each, sorted in place.
        int relations = 0;
        for (int i = 0; i < size; i++) {
            relations = Math.max(relations, rel[i] + 1);
        }
        int[] from = new int[relations + 1];
        for (int i = 0; i < size; i++) {
            from[rel[i] + 1]++;
        }
        for (int r = 0; r < relations; r++) {
            from[r + 1] += from[r];
        }
        int[] next = Arrays.copyOf(from, relations);
        long[] packed = new long[size];
        for (int i = 0; i < size; i++) {
            packed[next[rel[i]]++] = pair(query[i], other[i]);
        }
        long[] k = new long[size];
        int[] v = new int[size];
        int n = 0;
        for (int r = 0; r < relations; r++) {
            Arrays.sort(packed, from[r], from[r + 1]);
            for (int i = from[r]; i < from[r + 1]; i++) {
                if (i > from[r] && packed[i] == packed[i - 1]) {
                    continue;
                }
                k[n] = pair(r, (int) (packed[i] >>> 32));
                v[n] = (int) packed[i];
                n++;
            }
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

    /** Two non-negative ints as one long that sorts by the first, then the second. */
    static long pair(int high, int low) {
        return (long) high << 32 | (low & 0xffffffffL);
    }
}
