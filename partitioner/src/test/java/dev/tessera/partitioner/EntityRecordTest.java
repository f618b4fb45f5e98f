package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntityRecordTest {
    private static EntityRecord early() {
        return new EntityRecord(11L, 22, ParsedChunk.position(0, 3, 10, 1, 5), 2, 3, "early");
    }

    private static EntityRecord late() {
        return new EntityRecord(11L, 22, ParsedChunk.position(0, 3, 11, 0, 9), 4, 7, "late");
    }

    private static void assertMerged(EntityRecord m) {
        assertEquals(ParsedChunk.position(0, 3, 10, 1, 5), m.first);
        assertEquals(5, m.type());
        assertEquals("early", m.name);
        assertEquals(6, m.outDegree);
        assertEquals(10, m.inDegree);
        assertEquals(11L, m.k1);
        assertEquals(22, m.k2);
        assertTrue(m.trained());
        assertEquals(-1, m.part);
        assertEquals(-1, m.offset);
    }

    @Test
    void mergeKeepsEarlierAppearanceAndSumsDegrees() {
        EntityRecord a = early();
        EntityRecord m = EntityRecord.merge(a, late());
        assertSame(a, m);
        assertMerged(m);
    }

    @Test
    void mergeIsSymmetricInOutcome() {
        assertMerged(EntityRecord.merge(late(), early()));
        assertMerged(EntityRecord.merge(early(), late()));
    }

    @Test
    void mergeIsAssociativeOverThreeChunks() {
        EntityRecord c = new EntityRecord(11L, 22, ParsedChunk.position(1, 0, 0, 0, 1), 0, 0, "valid");
        EntityRecord x = EntityRecord.merge(EntityRecord.merge(early(), late()), c);
        EntityRecord y = EntityRecord.merge(c, EntityRecord.merge(late(), early()));
        for (EntityRecord m : new EntityRecord[] {x, y}) {
            assertMerged(m);
        }
    }

    @Test
    void typeIsLow16BitsOfFirst() {
        assertEquals(0, new EntityRecord(0, 0, 0L, 0, 0, "x").type());
        assertEquals(65535, new EntityRecord(0, 0, ParsedChunk.position(2, 5, 7, 1, 65535), 0, 0, "x").type());
        assertEquals(0x1234, new EntityRecord(0, 0, 0x7fff_0000_0001_1234L, 0, 0, "x").type());
        assertEquals(16, EntityRecord.TYPE_BITS);
    }

    @Test
    void trainedWhenAnyDegree() {
        assertFalse(new EntityRecord(0, 0, 0, 0, 0, "x").trained());
        assertTrue(new EntityRecord(0, 0, 0, 1, 0, "x").trained());
        assertTrue(new EntityRecord(0, 0, 0, 0, 1, "x").trained());
    }

    @Test
    void key96EqualsAndHashCode() {
        EntityRecord.Key96 a = new EntityRecord.Key96(5L, 9);
        EntityRecord.Key96 b = new EntityRecord.Key96(5L, 9);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(5L, a.k1());
        assertEquals(9, a.k2());
        assertNotEquals(a, new EntityRecord.Key96(5L, 10));
        assertNotEquals(a, new EntityRecord.Key96(6L, 9));
        assertNotEquals(a, new EntityRecord.Key96(9L, 5));
        assertNotEquals(a, null);
        assertNotEquals(a, "5/9");
        assertEquals(early().key(), late().key());
        assertEquals(new EntityRecord.Key96(11L, 22), early().key());
        Set<EntityRecord.Key96> s = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            s.add(new EntityRecord.Key96(i, i));
            s.add(new EntityRecord.Key96(i, i));
            s.add(new EntityRecord.Key96(i, -i - 1));
        }
        assertEquals(2000, s.size());
    }
}
