package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntityOrderTest {

    private static EntityRecord record(long k1, int k2, int type, int part) {
        EntityRecord r = new EntityRecord(k1, k2, type, 1, 0, "e" + k1 + "/" + k2);
        r.part = part;
        return r;
    }

    /** The order of the comparator sort it replaces, on keys chosen to tie in every way that can happen. */
    @Test
    void sortsByGroupThenKeyLikeTheComparatorSort() {
        Random rnd = new Random(4);
        int[] groupBase = {0, 3}; // type 0 has 3 partitions, type 1 has 2
        List<EntityRecord> records = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            long k1 = switch (i % 4) {
                case 0 -> rnd.nextLong(); // anywhere, negative ones included
                case 1 -> rnd.nextLong() & 0xFFFF_0000_0000_0000L; // high bits only: ties with each other
                case 2 -> 0x1234_5678_0000_0000L | rnd.nextInt(64); // equal high bits, differing low bits
                default -> 42L; // equal k1: k2 decides
            };
            int type = rnd.nextInt(2);
            records.add(record(k1, rnd.nextInt(), type, rnd.nextInt(type == 0 ? 3 : 2)));
        }
        records.add(record(Long.MIN_VALUE, 0, 0, 0));
        records.add(record(Long.MAX_VALUE, 0, 0, 0));
        List<EntityRecord> expected = new ArrayList<>(records);
        expected.sort(Comparator.comparingInt((EntityRecord r) -> groupBase[r.type()] + r.part)
                .thenComparingLong(r -> r.k1)
                .thenComparingInt(r -> r.k2));
        assertArrayEquals(expected.toArray(), EntityOrder.sorted(records, groupBase, 5));
        assertArrayEquals(new EntityRecord[0], EntityOrder.sorted(List.of(), groupBase, 5));
    }
}
