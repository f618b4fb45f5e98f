package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tessera.storage.EntitySstWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntityOrderTest {

    private static EntityRecord record(long k1, String name, int type, int part) {
        EntityRecord r = new EntityRecord(k1, 0, type, 1, 0, name);
        r.part = part;
        return r;
    }

    /** Real names: the order is exactly the store's key order, the bytes the SST writer is given. */
    @Test
    void sortsRealNamesInTheStoresKeyOrder() {
        Random rnd = new Random(3);
        List<EntityRecord> records = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String name = switch (i % 3) {
                case 0 -> "/usr/share/doc/pkg-" + rnd.nextInt(1_000_000);
                case 1 -> "é" + i; // non-ASCII: UTF-8 bytes, not chars
                default -> Integer.toString(i);
            };
            records.add(record(EntityKey.k1(name), name, 0, 0));
        }
        List<EntityRecord> expected = new ArrayList<>(records);
        expected.sort(
                (a, b) -> Arrays.compareUnsigned(EntitySstWriter.sortKey(a.name), EntitySstWriter.sortKey(b.name)));
        assertArrayEquals(expected.toArray(), EntityOrder.byStoreKey(records));
        assertArrayEquals(new EntityRecord[0], EntityOrder.byStoreKey(List.of()));
    }

    /** Hashes chosen to tie in every way that can happen: unsigned hash order, then the name's bytes. */
    @Test
    void breaksTiesOfTheHashByName() {
        Random rnd = new Random(4);
        List<EntityRecord> records = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            long k1 = switch (i % 4) {
                case 0 -> rnd.nextLong(); // anywhere, negative ones included
                case 1 -> rnd.nextLong() & 0xFFFF_0000_0000_0000L; // high bits only: ties with each other
                case 2 -> 0x1234_5678_0000_0000L | rnd.nextInt(64); // equal high bits, differing low bits
                default -> 42L; // equal hashes: the names decide
            };
            records.add(record(k1, "e" + rnd.nextInt(), 0, 0));
        }
        records.add(record(Long.MIN_VALUE, "min", 0, 0));
        records.add(record(Long.MAX_VALUE, "max", 0, 0));
        records.add(record(-1L, "all ones", 0, 0));
        List<EntityRecord> expected = new ArrayList<>(records);
        expected.sort(Comparator.comparing((EntityRecord r) -> r.k1, Long::compareUnsigned)
                .thenComparing(r -> r.name));
        assertArrayEquals(expected.toArray(), EntityOrder.byStoreKey(records));
    }

    @Test
    void groupsStablyByTypeAndPartition() {
        int[] groupBase = {0, 3}; // type 0 has 3 partitions, type 1 has 2
        Random rnd = new Random(5);
        EntityRecord[] records = new EntityRecord[1_000];
        for (int i = 0; i < records.length; i++) {
            int type = rnd.nextInt(2);
            records[i] = record(i, "e" + i, type, rnd.nextInt(type == 0 ? 3 : 2));
        }
        EntityRecord[] expected = records.clone();
        Arrays.sort(expected, Comparator.comparingInt((EntityRecord r) -> EntityOrder.group(r, groupBase)));
        assertArrayEquals(expected, EntityOrder.byGroup(records, groupBase, 5));
    }
}
