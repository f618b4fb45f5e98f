package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnLayoutTest {
    @Test
    void byCountKnowsTheUsualLayouts() {
        ColumnLayout two = ColumnLayout.byCount(2, "f");
        assertEquals(new ColumnLayout(2, 0, -1, 1, -1), two);
        assertFalse(two.hasRelation());
        assertFalse(two.hasWeight());
        assertEquals("src=0,dst=1 of 2", two.toString());

        ColumnLayout three = ColumnLayout.byCount(3, "f");
        assertEquals(new ColumnLayout(3, 0, 1, 2, -1), three);
        assertTrue(three.hasRelation());
        assertFalse(three.hasWeight());

        ColumnLayout four = ColumnLayout.byCount(4, "f");
        assertEquals(new ColumnLayout(4, 0, 1, 2, 3), four);
        assertTrue(four.hasWeight());
        assertEquals("src=0,rel=1,dst=2,weight=3 of 4", four.toString());
    }

    @Test
    void byCountRefusesOtherCounts() {
        for (int n : new int[] {5, 1, 0}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ColumnLayout.byCount(n, "edges.tsv line 1"));
            assertEquals(
                    "edges.tsv line 1: " + n + " columns; expected 2 (src dst), 3 (src rel dst) or 4 "
                            + "(src rel dst weight), or name them with --columns",
                    e.getMessage());
        }
    }

    @Test
    void fromHeaderFindsFieldsByTheirOwnNames() {
        assertEquals(
                new ColumnLayout(4, 1, 3, 0, 2),
                ColumnLayout.fromHeader(List.of("dst", " src ", "weight", "rel"), Map.of(), "f"));
        assertEquals(
                new ColumnLayout(3, 2, -1, 0, -1),
                ColumnLayout.fromHeader(List.of("dst", "extra", "src"), Map.of(), "f"));
    }

    @Test
    void fromHeaderUsesTheMapping() {
        ColumnLayout l = ColumnLayout.fromHeader(
                List.of("from", "to", "kind", "w", "ts"),
                Map.of("src", "from", "dst", "to", "rel", "kind", "weight", "w"),
                "f");
        assertEquals(new ColumnLayout(5, 0, 2, 1, 3), l);
        // A partial mapping: unmapped fields still found by name.
        assertEquals(
                new ColumnLayout(3, 0, 1, 2, -1),
                ColumnLayout.fromHeader(List.of("head", "rel", "dst"), Map.of("src", "head"), "f"));
    }

    @Test
    void fromHeaderNamesTheMissingColumn() {
        IllegalArgumentException noSrc = assertThrows(
                IllegalArgumentException.class,
                () -> ColumnLayout.fromHeader(List.of("a", "dst"), Map.of(), "edges.csv"));
        assertEquals("edges.csv: no column 'src' for field 'src' in the header [a, dst]", noSrc.getMessage());

        IllegalArgumentException noDst = assertThrows(
                IllegalArgumentException.class,
                () -> ColumnLayout.fromHeader(List.of("src", "rel"), Map.of(), "edges.csv"));
        assertEquals("edges.csv: no column 'dst' for field 'dst' in the header [src, rel]", noDst.getMessage());

        IllegalArgumentException mapped = assertThrows(
                IllegalArgumentException.class,
                () -> ColumnLayout.fromHeader(List.of("src", "dst"), Map.of("weight", "score"), "edges.csv"));
        assertEquals("edges.csv: no column 'score' for field 'weight' in the header [src, dst]", mapped.getMessage());
    }

    @Test
    void fromIndices() {
        assertEquals(
                new ColumnLayout(6, 4, -1, 1, 5),
                ColumnLayout.fromIndices(Map.of("src", "4", "dst", "1", "weight", "5"), 6, "f"));
        assertEquals(
                new ColumnLayout(3, 0, 1, 2, -1),
                ColumnLayout.fromIndices(Map.of("src", "0", "rel", "1", "dst", "2"), 3, "f"));

        IllegalArgumentException outside = assertThrows(
                IllegalArgumentException.class, () -> ColumnLayout.fromIndices(Map.of("src", "0", "dst", "3"), 3, "f"));
        assertEquals("f: --columns dst=3 is outside the file's 3 columns", outside.getMessage());
        IllegalArgumentException notInt = assertThrows(
                IllegalArgumentException.class,
                () -> ColumnLayout.fromIndices(Map.of("src", "0", "dst", "to"), 3, "f"));
        assertEquals(
                "f: --columns dst=to must be a 0-based column index for a file without a header", notInt.getMessage());
        IllegalArgumentException noDst = assertThrows(
                IllegalArgumentException.class, () -> ColumnLayout.fromIndices(Map.of("src", "0"), 3, "f"));
        assertEquals("f: --columns must name src and dst", noDst.getMessage());
    }

    @Test
    void parseMapping() {
        assertEquals(Map.of("src", "from", "dst", "to"), ColumnLayout.parseMapping("src=from, DST = to"));
        assertEquals(Map.of("src", "a=b"), ColumnLayout.parseMapping("src=a=b"));
        assertEquals(Map.of(), ColumnLayout.parseMapping(null));
        assertEquals(Map.of(), ColumnLayout.parseMapping("  "));
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> ColumnLayout.parseMapping("src=0,source=1"));
        assertEquals(
                "--columns 'source=1': expected field=column with field one of [src, rel, dst, weight]",
                unknown.getMessage());
        IllegalArgumentException noValue =
                assertThrows(IllegalArgumentException.class, () -> ColumnLayout.parseMapping("src"));
        assertEquals(
                "--columns 'src': expected field=column with field one of [src, rel, dst, weight]",
                noValue.getMessage());
    }
}
