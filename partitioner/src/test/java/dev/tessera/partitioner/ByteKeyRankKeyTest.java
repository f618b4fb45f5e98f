package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteKeyRankKeyTest {
    private static ByteKey k(int... b) {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return new ByteKey(a);
    }

    @Test
    void byteKeyIsUnsignedLexicographic() {
        List<ByteKey> sorted = List.of(
                k(),
                k(0x00),
                k(0x00, 0x00),
                k(0x00, 0xff),
                k(0x01),
                k(0x7f),
                k(0x7f, 0x00),
                k(0x80),
                k(0x80, 0x00),
                k(0xfe, 0xff, 0xff),
                k(0xff),
                k(0xff, 0x00));
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = 0; j < sorted.size(); j++) {
                assertEquals(
                        Integer.signum(Integer.compare(i, j)),
                        Integer.signum(sorted.get(i).compareTo(sorted.get(j))),
                        i + " vs " + j);
            }
        }
        List<ByteKey> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, new Random(3));
        Collections.sort(shuffled);
        assertEquals(sorted, shuffled);
        assertTrue(k(0x7f).compareTo(k(0x80)) < 0);
        assertTrue(k(0x80).compareTo(k(0xff)) < 0);
        assertTrue(k(1, 2).compareTo(k(1, 2, 0)) < 0);
    }

    @Test
    void byteKeyOrdersBigEndianKeysNumerically() {
        // Big-endian keys, as the store's are: a negative-looking byte (128) must sort after 127.
        assertTrue(bigEndian(0, 0, 127).compareTo(bigEndian(0, 0, 128)) < 0);
        assertTrue(bigEndian(0, 255, 0).compareTo(bigEndian(1, 0, 0)) < 0);
        assertTrue(bigEndian(9, 9, 9).compareTo(bigEndian(10, 0, 0)) < 0);
        assertTrue(bigEndian(0, 0, -1).compareTo(bigEndian(0, 1, 0)) < 0);
    }

    private static ByteKey bigEndian(int... ints) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * ints.length);
        for (int i : ints) {
            b.putInt(i);
        }
        return new ByteKey(b.array());
    }

    @Test
    void byteKeyEqualsByContent() {
        assertEquals(k(1, 2, 3), k(1, 2, 3));
        assertEquals(k(1, 2, 3).hashCode(), k(1, 2, 3).hashCode());
        assertEquals(0, k(1, 2, 3).compareTo(k(1, 2, 3)));
        assertNotEquals(k(1, 2, 3), k(1, 2));
        assertNotEquals(k(1, 2, 3), k(1, 2, 4));
        assertNotEquals(k(1), "x");
    }

    @Test
    void rankKeyOrdersByTypeThenOrderThenName() {
        List<RankKey> sorted = List.of(
                new RankKey(0, Long.MIN_VALUE, "z"),
                new RankKey(0, -100, "b"),
                new RankKey(0, -100, "c"),
                new RankKey(0, -100, "ca"),
                new RankKey(0, -1, "a"),
                new RankKey(0, 0, ""),
                new RankKey(0, 5, "a"),
                new RankKey(0, Long.MAX_VALUE, "a"),
                new RankKey(1, Long.MIN_VALUE, "a"),
                new RankKey(1, 3, "A"),
                new RankKey(1, 3, "a"),
                new RankKey(7, -9, "a"));
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = 0; j < sorted.size(); j++) {
                assertEquals(
                        Integer.signum(Integer.compare(i, j)),
                        Integer.signum(sorted.get(i).compareTo(sorted.get(j))),
                        i + " vs " + j);
            }
        }
        List<RankKey> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, new Random(11));
        Collections.sort(shuffled);
        assertEquals(sorted, shuffled);
    }

    @Test
    void rankKeyEqualsAndHashCode() {
        assertEquals(new RankKey(1, 2, "x"), new RankKey(1, 2, "x"));
        assertEquals(new RankKey(1, 2, "x").hashCode(), new RankKey(1, 2, "x").hashCode());
        assertNotEquals(new RankKey(1, 2, "x"), new RankKey(1, 2, "y"));
        assertNotEquals(new RankKey(1, 2, "x"), new RankKey(1, 3, "x"));
        assertNotEquals(new RankKey(1, 2, "x"), new RankKey(2, 2, "x"));
        assertEquals(0, new RankKey(1, 2, "x").compareTo(new RankKey(1, 2, "x")));
    }
}
