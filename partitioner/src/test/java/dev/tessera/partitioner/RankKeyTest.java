package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RankKeyTest {
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
