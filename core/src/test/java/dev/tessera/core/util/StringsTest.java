package dev.tessera.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class StringsTest {

    @Test
    void editDistanceOfKnownPairs() {
        assertEquals(3, Strings.editDistance("kitten", "sitting"));
        assertEquals(3, Strings.editDistance("sitting", "kitten"));
        assertEquals(2, Strings.editDistance("flaw", "lawn"));
        assertEquals(1, Strings.editDistance("num_epoch", "num_epochs"));
        assertEquals(5, Strings.editDistance("abcde", "vwxyz"));
        assertEquals(0, Strings.editDistance("same", "same"));
    }

    @Test
    void editDistanceWithEmptyStrings() {
        assertEquals(0, Strings.editDistance("", ""));
        assertEquals(3, Strings.editDistance("", "abc"));
        assertEquals(4, Strings.editDistance("abcd", ""));
    }

    @Test
    void closestPicksTheSmallestDistance() {
        assertEquals("num_epochs", Strings.closest("num_epoch", List.of("dimension", "num_epochs", "lr", "seed")));
        assertEquals("dot", Strings.closest("dott", List.of("dot", "cos", "l2", "squared_l2")));
        assertEquals("cos", Strings.closest("cso", List.of("dot", "cos", "l2")));
    }

    @Test
    void closestTakesTheFirstOnTiesAndNullWhenNoCandidates() {
        assertEquals("aa", Strings.closest("ab", List.of("aa", "bb")));
        assertEquals("bb", Strings.closest("ab", List.of("bb", "aa")));
        assertNull(Strings.closest("x", List.of()));
    }
}
