package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EndpointTableTest {
    private static List<EntityRecord> records(EndpointTable t) {
        List<EntityRecord> out = new ArrayList<>();
        for (Iterator<EntityRecord> it = t.records(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void emptyTable() {
        EndpointTable t = new EndpointTable();
        assertEquals(0, t.size());
        assertFalse(t.records().hasNext());
    }

    @Test
    void sameKeyMergesDegreesAndKeepsSmallestPosition() {
        EndpointTable t = new EndpointTable();
        t.add(7L, 3, 500L, "late", 1, 0);
        t.add(7L, 3, 900L, "later", 0, 1);
        t.add(7L, 3, 100L, "earliest", 2, 3); // smaller position arrives third
        t.add(7L, 3, 100L, "tie", 1, 1); // equal position: the first keeps it
        t.add(7L, 3, 300L, "middle", 0, 0);
        t.add(7L, 4, 50L, "otherK2", 1, 0); // same k1, different k2: another entity
        t.add(8L, 3, 60L, "otherK1", 0, 1);
        assertEquals(3, t.size());
        Map<Long, EntityRecord> byFirst = new HashMap<>();
        for (EntityRecord r : records(t)) {
            byFirst.put(r.first, r);
        }
        EntityRecord r = byFirst.get(100L);
        assertNotNull(r);
        assertEquals(7L, r.k1);
        assertEquals(3, r.k2);
        assertEquals("earliest", r.name);
        assertEquals(4, r.outDegree);
        assertEquals(5, r.inDegree);
        EntityRecord o2 = byFirst.get(50L);
        assertEquals(7L, o2.k1);
        assertEquals(4, o2.k2);
        assertEquals("otherK2", o2.name);
        assertEquals(1, o2.outDegree);
        assertEquals(0, o2.inDegree);
        EntityRecord o1 = byFirst.get(60L);
        assertEquals(8L, o1.k1);
        assertEquals("otherK1", o1.name);
        assertEquals(0, o1.outDegree);
        assertEquals(1, o1.inDegree);
    }

    @Test
    void manyAddsOfOneKeyAcrossGrowth() {
        EndpointTable t = new EndpointTable();
        for (int i = 0; i < 5000; i++) {
            t.add(-1L, -1, 10_000L - i, "n" + i, 1, 2);
            t.add(i, i, i + 20_000L, "f" + i, 0, 0); // filler forcing growth
        }
        assertEquals(5001, t.size());
        EntityRecord hot = records(t).stream()
                .filter(r -> r.k1 == -1L && r.k2 == -1)
                .findFirst()
                .orElseThrow();
        assertEquals(5000, hot.outDegree);
        assertEquals(10_000, hot.inDegree);
        assertEquals(10_000L - 4999, hot.first);
        assertEquals("n4999", hot.name);
    }

    private record Ref(long first, String name, int out, int in) {}

    @Test
    void hundredThousandKeysSurviveGrowth() {
        Random rnd = new Random(7);
        EndpointTable t = new EndpointTable();
        Map<EntityRecord.Key96, Ref> ref = new HashMap<>();
        List<EntityRecord.Key96> keys = new ArrayList<>();
        while (keys.size() < 100_000) {
            int kind = keys.size() % 5;
            long k1;
            int k2;
            if (kind == 0) {
                // Keys that share k1 and differ in k2 only.
                k1 = keys.isEmpty() ? 0L : keys.get(rnd.nextInt(keys.size())).k1();
                k2 = rnd.nextInt();
            } else if (kind == 1) {
                // Clusters: one k1, k2 differing only in bits 20..27, so a multiply-xor-shift hash puts them
                // in one probe run at every capacity up to 2^20 slots.
                int cluster = keys.size() / 5;
                k1 = 0x5bd1e995L * (cluster / 256 + 1);
                k2 = 0x1234 | (cluster % 256) << 20;
            } else {
                k1 = rnd.nextLong();
                k2 = rnd.nextInt();
            }
            EntityRecord.Key96 k = new EntityRecord.Key96(k1, k2);
            if (!ref.containsKey(k)) {
                ref.put(k, null);
                keys.add(k);
            }
        }
        ref.clear();
        // Several rounds over all keys, positions random, so updates happen before, during and after growth.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < keys.size(); i++) {
                EntityRecord.Key96 k = keys.get(round == 1 ? keys.size() - 1 - i : i);
                long pos = rnd.nextInt(1_000_000);
                int out = rnd.nextInt(3);
                int in = rnd.nextInt(3);
                String name = "k" + round + "-" + pos;
                t.add(k.k1(), k.k2(), pos, name, out, in);
                Ref old = ref.get(k);
                if (old == null) {
                    ref.put(k, new Ref(pos, name, out, in));
                } else {
                    boolean earlier = pos < old.first;
                    ref.put(
                            k,
                            new Ref(earlier ? pos : old.first, earlier ? name : old.name, old.out + out, old.in + in));
                }
            }
        }
        assertEquals(keys.size(), t.size());
        List<EntityRecord> recs = records(t);
        assertEquals(keys.size(), recs.size());
        Map<EntityRecord.Key96, EntityRecord> seen = new HashMap<>();
        for (EntityRecord r : recs) {
            assertTrue(seen.put(r.key(), r) == null, "duplicate record for " + r.k1 + "/" + r.k2);
            Ref e = ref.get(r.key());
            assertNotNull(e, "unexpected key " + r.k1 + "/" + r.k2);
            assertEquals(e.first, r.first);
            assertEquals(e.name, r.name);
            assertEquals(e.out, r.outDegree);
            assertEquals(e.in, r.inDegree);
        }
        assertEquals(ref.keySet(), seen.keySet());
    }
}
