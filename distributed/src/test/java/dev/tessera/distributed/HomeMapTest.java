package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HomeMapTest {
    @Test
    void deadTrainersPartitionsGoToTheLiveOnesWithTheFewestHomes() {
        HomeMap start = HomeMap.initial(8, 4);
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, start.toArray());
        Set<Integer> dead = new HashSet<>();
        dead.add(1);
        HomeMap one = start.withoutHome(1, r -> !dead.contains(r));
        assertEquals(1, one.version());
        assertArrayEquals(new int[] {0, 0, 2, 3, 0, 2, 2, 3}, one.toArray());
        dead.add(2);
        HomeMap two = one.withoutHome(2, r -> !dead.contains(r));
        assertEquals(2, two.version());
        assertArrayEquals(new int[] {0, 0, 3, 3, 0, 0, 3, 3}, two.toArray());
        assertEquals(0, start.version(), "maps are values: the old one is unchanged");
    }

    @Test
    void theLastTrainerCannotHandItsPartitionsToNobody() {
        HomeMap map = HomeMap.initial(2, 2).withoutHome(1, r -> r == 0);
        assertThrows(IllegalStateException.class, () -> map.withoutHome(0, r -> false));
    }

    @Test
    void aMapFromTheWireNamingAnUnknownTrainerIsRefused() {
        assertNull(HomeMap.of(3, new int[] {0, 4}, 4));
        assertArrayEquals(new int[] {0, 3}, HomeMap.of(3, new int[] {0, 3}, 4).toArray());
    }
}
