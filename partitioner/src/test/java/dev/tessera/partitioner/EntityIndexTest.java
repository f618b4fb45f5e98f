package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntityIndexTest {
    private record Value(int type, int part, int offset, boolean trained) {}

    @Test
    void fiftyThousandRandomKeysAgainstHashMap() {
        Random rnd = new Random(2024);
        EntityIndex idx = new EntityIndex(50_000);
        Map<EntityRecord.Key96, Value> ref = new HashMap<>();
        while (ref.size() < 50_000) {
            long k1 = rnd.nextLong();
            int k2 = ref.size() % 7 == 0 && !ref.isEmpty() ? 0 : rnd.nextInt();
            if (ref.size() % 11 == 0 && !ref.isEmpty()) {
                k1 = ref.keySet().iterator().next().k1(); // same k1, new k2
                k2 = rnd.nextInt();
            }
            if (ref.size() % 13 == 0) {
                // clusters: one k1, k2 differing only in bits 20..27 (one probe run for a mixing hash)
                int c = ref.size() / 13;
                k1 = 0x5bd1e995L * (c / 256 + 1);
                k2 = 0x777 | (c % 256) << 20;
            }
            EntityRecord.Key96 k = new EntityRecord.Key96(k1, k2);
            if (ref.containsKey(k)) {
                continue;
            }
            Value v = new Value(
                    rnd.nextInt(65536), rnd.nextInt(32768), rnd.nextInt(Integer.MAX_VALUE), rnd.nextBoolean());
            ref.put(k, v);
            idx.put(k1, k2, v.type, v.part, v.offset, v.trained);
        }
        assertEquals(50_000, idx.size());
        for (Map.Entry<EntityRecord.Key96, Value> e : ref.entrySet()) {
            int s = idx.find(e.getKey().k1(), e.getKey().k2());
            assertTrue(s >= 0, "missing key");
            Value v = e.getValue();
            assertEquals(v.type, idx.type(s));
            assertEquals(v.part, idx.part(s));
            assertEquals(v.offset, idx.offset(s));
            assertEquals(v.trained, idx.trained(s));
        }
        int absent = 0;
        for (int i = 0; i < 50_000; i++) {
            long k1 = rnd.nextLong();
            int k2 = rnd.nextInt();
            if (!ref.containsKey(new EntityRecord.Key96(k1, k2))) {
                assertEquals(-1, idx.find(k1, k2));
                absent++;
            }
        }
        assertTrue(absent > 49_000);
        // Present k1 with a different k2, and present k2 with a different k1, are absent.
        for (EntityRecord.Key96 k : ref.keySet()) {
            if (!ref.containsKey(new EntityRecord.Key96(k.k1(), k.k2() + 1))) {
                assertEquals(-1, idx.find(k.k1(), k.k2() + 1));
            }
            if (!ref.containsKey(new EntityRecord.Key96(k.k1() + 1, k.k2()))) {
                assertEquals(-1, idx.find(k.k1() + 1, k.k2()));
            }
        }
    }

    @Test
    void fieldRoundTripAtExtremes() {
        EntityIndex idx = new EntityIndex(16);
        int[][] cases = {
            {0, 0, 0},
            {65535, 32767, Integer.MAX_VALUE},
            {65535, 0, 0},
            {0, 32767, 1},
            {1, 1, 123_456},
            {32768, 12345, 0}
        };
        for (int i = 0; i < cases.length; i++) {
            idx.put(i * 31L, -i, cases[i][0], cases[i][1], cases[i][2], i % 2 == 0);
        }
        for (int i = 0; i < cases.length; i++) {
            int s = idx.find(i * 31L, -i);
            assertTrue(s >= 0);
            assertEquals(cases[i][0], idx.type(s), "type of case " + i);
            assertEquals(cases[i][1], idx.part(s), "part of case " + i);
            assertEquals(cases[i][2], idx.offset(s), "offset of case " + i);
            assertEquals(i % 2 == 0, idx.trained(s));
        }
        assertEquals(cases.length, idx.size());
    }

    @Test
    void putOfExistingKeyOverwritesWithoutGrowingSize() {
        EntityIndex idx = new EntityIndex(10);
        idx.put(1L, 2, 3, 4, 5, true);
        idx.put(1L, 2, 6, 7, 8, false);
        assertEquals(1, idx.size());
        int s = idx.find(1L, 2);
        assertEquals(6, idx.type(s));
        assertEquals(7, idx.part(s));
        assertEquals(8, idx.offset(s));
        assertFalse(idx.trained(s));
        assertEquals(-1, idx.find(1L, 3));
        assertEquals(-1, idx.find(2L, 2));
        assertEquals(-1, idx.find(0L, 0)); // the zero key is not "present" in an empty slot
    }

    @Test
    void zeroKeyIsStorable() {
        EntityIndex idx = new EntityIndex(4);
        assertEquals(-1, idx.find(0L, 0));
        idx.put(0L, 0, 2, 3, 4, true);
        int s = idx.find(0L, 0);
        assertTrue(s >= 0);
        assertEquals(2, idx.type(s));
        assertEquals(3, idx.part(s));
        assertEquals(4, idx.offset(s));
    }

    @Test
    void holdsAtLeastWhatItIsSizedFor() {
        for (int expected = 1; expected <= 1100; expected += 7) {
            EntityIndex idx = new EntityIndex(expected);
            for (int i = 0; i < expected; i++) {
                idx.put(i, i, 0, 0, i, false);
            }
            assertEquals(expected, idx.size());
        }
    }

    @Test
    void puttingMoreThanSizedThrows() {
        // 1000 expected -> 2048 slots -> 1024 entities at most (load factor 1/2).
        EntityIndex idx = new EntityIndex(1000);
        for (int i = 0; i < 1024; i++) {
            idx.put(EntityKey.k1("e" + i), EntityKey.k2("e" + i), 1, 0, i, true);
        }
        assertEquals(1024, idx.size());
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> idx.put(EntityKey.k1("one more"), EntityKey.k2("one more"), 1, 0, 1024, true));
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains("1024") && e.getMessage().contains("full"), e.getMessage());
        assertEquals(1024, idx.size());
        assertEquals(-1, idx.find(EntityKey.k1("one more"), EntityKey.k2("one more")));
        // everything put before is still there
        for (int i = 0; i < 1024; i++) {
            int s = idx.find(EntityKey.k1("e" + i), EntityKey.k2("e" + i));
            assertTrue(s >= 0);
            assertEquals(i, idx.offset(s));
        }
    }
}
