package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntityKeyTest {
    @Test
    void keysAreDeterministic() {
        for (String name : new String[] {"", "a", "alice", "Q42", "東京", "\0", "x".repeat(1000)}) {
            assertEquals(EntityKey.k1(name), EntityKey.k1(new String(name.toCharArray())), name);
            assertEquals(EntityKey.k2(name), EntityKey.k2(new String(name.toCharArray())), name);
        }
    }

    /** Values pinned once: keys are stored in dictionaries, so they must never change across versions. */
    @Test
    void pinnedValues() {
        assertEquals(0x3507d047a67c08f4L, EntityKey.k1("alice"));
        assertEquals(0x44f161b6, EntityKey.k2("alice"));
        assertEquals(0x91fdf66a28de5829L, EntityKey.k1("Q42"));
        assertEquals(0x0520cd9f, EntityKey.k2("Q42"));
        assertEquals(0x9feb640b64d8f28aL, EntityKey.k1("東京"));
        assertEquals(0xd6db7d1a, EntityKey.k2("東京"));
    }

    @Test
    void emptyKeyIsFmix64OfTheFnvOffsetBasis() {
        long h = 0xcbf29ce484222325L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        assertEquals(h, EntityKey.k1(""));
    }

    @Test
    void orderAndNulCharMatter() {
        assertNotEquals(EntityKey.k1("ab"), EntityKey.k1("ba"));
        assertNotEquals(EntityKey.k2("ab"), EntityKey.k2("ba"));
        assertNotEquals(EntityKey.k1(""), EntityKey.k1("\0"));
        assertNotEquals(EntityKey.k2(""), EntityKey.k2("\0"));
        assertNotEquals(EntityKey.k1("\0"), EntityKey.k1("\0\0"));
        assertNotEquals(EntityKey.k2("\0"), EntityKey.k2("\0\0"));
        assertNotEquals(EntityKey.k1("a"), EntityKey.k1("A"));
        assertNotEquals(EntityKey.k2("a"), EntityKey.k2("A"));
    }

    @Test
    void noCollisionsAmong200kNames() {
        Random rnd = new Random(42);
        Set<String> names = new HashSet<>();
        for (int i = 0; names.size() < 200_000; i++) {
            switch (i % 4) {
                case 0 -> names.add("entity-" + i);
                case 1 -> names.add(Integer.toString(i));
                case 2 -> names.add("Q" + i + "\0");
                default -> {
                    char[] c = new char[1 + rnd.nextInt(6)];
                    for (int j = 0; j < c.length; j++) {
                        c[j] = (char) ('a' + rnd.nextInt(26));
                    }
                    names.add(new String(c));
                }
            }
        }
        assertEquals(200_000, names.size());
        Set<Long> k1s = new HashSet<>();
        Set<EntityRecord.Key96> keys = new HashSet<>();
        Set<Integer> k2s = new HashSet<>();
        for (String n : names) {
            assertTrue(k1s.add(EntityKey.k1(n)), () -> "k1 collision at " + n);
            assertTrue(keys.add(new EntityRecord.Key96(EntityKey.k1(n), EntityKey.k2(n))), () -> "key collision " + n);
            k2s.add(EntityKey.k2(n));
        }
        assertEquals(200_000, k1s.size());
        assertEquals(200_000, keys.size());
        // 32 bits over 200k names: a handful of collisions expected (~5), never hundreds.
        assertTrue(k2s.size() > 200_000 - 50, "k2 collisions: " + (200_000 - k2s.size()));
    }
}
