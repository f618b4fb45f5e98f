package dev.tessera.partitioner;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sorts a task's entities by (group, key), the order that numbers them deterministically: group is {@code
 * groupBase[type] + part} (one (type, partition) of the graph), key the 96-bit name key ({@code k1} signed,
 * then {@code k2}). A counting sort by group, then within each group a primitive sort of {@code k1}'s high bits
 * packed with the record's position; the rare records whose high bits tie are put in full key order after.
 * A comparator sort over the records themselves spent a seventh of an entity-heavy import chasing pointers.
 */
public final class EntityOrder {
    private static final Comparator<EntityRecord> BY_KEY =
            Comparator.comparingLong((EntityRecord r) -> r.k1).thenComparingInt(r -> r.k2);

    private EntityOrder() {}

    /** {@code records} in (group, k1, k2) order; the list is not changed. */
    public static EntityRecord[] sorted(List<EntityRecord> records, int[] groupBase, int groups) {
        int n = records.size();
        int[] start = new int[groups + 1];
        for (EntityRecord r : records) {
            start[group(r, groupBase) + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            start[g + 1] += start[g];
        }
        int[] next = Arrays.copyOf(start, groups);
        EntityRecord[] byGroup = new EntityRecord[n];
        for (EntityRecord r : records) {
            byGroup[next[group(r, groupBase)]++] = r;
        }
        EntityRecord[] out = new EntityRecord[n];
        long[] keys = new long[0];
        for (int g = 0; g < groups; g++) {
            int from = start[g];
            int len = start[g + 1] - from;
            if (keys.length < len) {
                keys = new long[len];
            }
            sortGroup(byGroup, from, len, keys, out);
        }
        return out;
    }

    private static int group(EntityRecord r, int[] groupBase) {
        return groupBase[r.type()] + r.part;
    }

    /** Sorts {@code in[from, from + len)} by (k1, k2) into {@code out} at the same positions. */
    private static void sortGroup(EntityRecord[] in, int from, int len, long[] keys, EntityRecord[] out) {
        int indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(len - 1));
        long indexMask = (1L << indexBits) - 1;
        for (int i = 0; i < len; i++) {
            // k1's high bits keep their signed order with the low bits cleared; ties fall back to position
            keys[i] = (in[from + i].k1 & ~indexMask) | i;
        }
        Arrays.sort(keys, 0, len);
        for (int i = 0; i < len; i++) {
            out[from + i] = in[from + (int) (keys[i] & indexMask)];
        }
        // Runs whose cleared high bits tie are ordered by position so far: put them in key order.
        int i = 0;
        while (i < len) {
            int j = i + 1;
            while (j < len && (keys[j] & ~indexMask) == (keys[i] & ~indexMask)) {
                j++;
            }
            if (j - i > 1) {
                Arrays.sort(out, from + i, from + j, BY_KEY);
            }
            i = j;
        }
    }
}
