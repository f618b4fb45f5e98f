package dev.tessera.partitioner;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The orders an import puts a task's entities in. {@link #byStoreKey}: the order of their keys in the store's
 * name → entity index (the name's 64-bit hash {@code k1} unsigned, then the name), which is also the order
 * that numbers them; a primitive sort of {@code k1}'s high bits packed with each record's position, the rare
 * records whose high bits tie put in full key order after (a comparator sort over the records themselves
 * spent a seventh of an entity-heavy import chasing pointers). {@link #byGroup}: a stable counting sort by
 * group, {@code groupBase[type] + part} (one (type, partition) of the graph).
 */
public final class EntityOrder {
    /** The store's key order ({@code EntitySstWriter.sortKey}: the hash, then the name's UTF-8 bytes). */
    private static final Comparator<EntityRecord> BY_STORE_KEY = (a, b) -> {
        int c = Long.compareUnsigned(a.k1, b.k1);
        return c != 0
                ? c
                : Arrays.compareUnsigned(
                        a.name.getBytes(StandardCharsets.UTF_8), b.name.getBytes(StandardCharsets.UTF_8));
    };

    private EntityOrder() {}

    /** {@code records} in the order of their keys in the store; the list is not changed. */
    public static EntityRecord[] byStoreKey(List<EntityRecord> records) {
        int n = records.size();
        int indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
        long indexMask = (1L << indexBits) - 1;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // Flipping the sign bit makes the signed sort an unsigned one; ties of the high bits fall back to position.
            keys[i] = ((records.get(i).k1 ^ Long.MIN_VALUE) & ~indexMask) | i;
        }
        Arrays.sort(keys);
        EntityRecord[] out = new EntityRecord[n];
        for (int i = 0; i < n; i++) {
            out[i] = records.get((int) (keys[i] & indexMask));
        }
        int i = 0;
        while (i < n) {
            int j = i + 1;
            while (j < n && (keys[j] & ~indexMask) == (keys[i] & ~indexMask)) {
                j++;
            }
            if (j - i > 1) {
                Arrays.sort(out, i, j, BY_STORE_KEY);
            }
            i = j;
        }
        return out;
    }

    /** {@code records} by group, in their given order within each group (a stable counting sort). */
    public static EntityRecord[] byGroup(EntityRecord[] records, int[] groupBase, int groups) {
        int[] next = new int[groups + 1];
        for (EntityRecord r : records) {
            next[group(r, groupBase) + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            next[g + 1] += next[g];
        }
        EntityRecord[] out = new EntityRecord[records.length];
        for (EntityRecord r : records) {
            out[next[group(r, groupBase)]++] = r;
        }
        return out;
    }

    public static int group(EntityRecord r, int[] groupBase) {
        return groupBase[r.type()] + r.part;
    }
}
