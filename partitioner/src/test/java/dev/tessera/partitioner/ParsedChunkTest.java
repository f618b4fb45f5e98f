package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParsedChunkTest {
    private static final TesseraConfig ONE =
            ConfigLoader.parse("entities:\n  e: {num_partitions: 2}\nrelations:\n  - {name: r, lhs: e, rhs: e}\n", "t");
    /** user is type 0, item type 1; likes: user -> item, follows: user -> user. */
    private static final TesseraConfig TWO = ConfigLoader.parse(
            "entities:\n  user: {num_partitions: 2}\n"
                    + "  item: {}\nrelations:\n  - {name: likes, lhs: user, rhs: item}\n"
                    + "  - {name: follows, lhs: user, rhs: user}\n",
            "two relations");

    private static EdgeRowParser parser(TesseraConfig config, int columns) {
        return new EdgeRowParser(InputFormat.TSV, ColumnLayout.byCount(columns, "x"), new RelationCatalog(config));
    }

    /** Good rows at 0, 2, 5, 7, 8; a skipped header-like line at 6; bad rows at 1, 3, 4. */
    private static ParsedChunk mixed(int split, int chunk) {
        ParsedChunk.Builder b = ParsedChunk.builder(split, chunk, parser(TWO, 3), false);
        b.addLine("a\tfollows\tb"); // 0
        b.addLine("a\tb"); // 1 wrong column count
        b.addLine("c\tlikes\tx"); // 2
        b.addLine(" \tlikes\tx"); // 3 empty id
        b.addLine("b\tnope\tc"); // 4 unknown relation
        b.addLine("b\tfollows\ta"); // 5
        b.skipLine(); // 6
        b.addLine("a\tlikes\ty"); // 7
        b.addLine("x\tfollows\ta"); // 8: x first appeared as an item at line 2
        return b.build();
    }

    private static Map<String, EntityRecord> endpointsByName(ParsedChunk c) {
        Map<String, EntityRecord> m = new HashMap<>();
        for (Iterator<EntityRecord> it = c.endpoints().records(); it.hasNext(); ) {
            EntityRecord r = it.next();
            assertNull(m.put(r.name, r), "two records named " + r.name);
        }
        return m;
    }

    @Test
    void columnsOfAMixedChunk() {
        ParsedChunk c = mixed(0, 4);
        assertEquals(0, c.split);
        assertEquals(4, c.chunk);
        assertEquals(5, c.size());
        assertEquals(9, c.lines());
        assertEquals(List.of("follows", "likes"), c.relations());
        int[] rel = {0, 1, 0, 1, 0};
        int[] line = {0, 2, 5, 7, 8};
        String[] src = {"a", "c", "b", "a", "x"};
        String[] dst = {"b", "x", "a", "y", "a"};
        for (int i = 0; i < c.size(); i++) {
            assertEquals(rel[i], c.rel(i), "rel " + i);
            assertEquals(line[i], c.line(i), "line " + i);
            assertEquals(EntityKey.k1(src[i]), c.srcK1(i), "srcK1 " + i);
            assertEquals(EntityKey.k2(src[i]), c.srcK2(i), "srcK2 " + i);
            assertEquals(EntityKey.k1(dst[i]), c.dstK1(i), "dstK1 " + i);
            assertEquals(EntityKey.k2(dst[i]), c.dstK2(i), "dstK2 " + i);
            assertEquals(1f, c.weight(i));
        }
    }

    @Test
    void badRowsCountedByReasonWithSamples() {
        ParsedChunk c = mixed(2, 9);
        long[] counts = c.badCounts();
        assertEquals(BadRowReason.values().length, counts.length);
        assertEquals(1, counts[BadRowReason.WRONG_COLUMN_COUNT.ordinal()]);
        assertEquals(1, counts[BadRowReason.EMPTY_ID.ordinal()]);
        assertEquals(1, counts[BadRowReason.UNKNOWN_RELATION.ordinal()]);
        assertEquals(0, counts[BadRowReason.BAD_WEIGHT.ordinal()]);
        assertEquals(0, counts[BadRowReason.WRONG_ENTITY_TYPE.ordinal()]);
        List<BadRow> s = c.badSamples();
        assertEquals(3, s.size());
        long[] idx = {1, 3, 4};
        BadRowReason[] why = {BadRowReason.WRONG_COLUMN_COUNT, BadRowReason.EMPTY_ID, BadRowReason.UNKNOWN_RELATION};
        for (int i = 0; i < 3; i++) {
            assertEquals(2, s.get(i).split());
            assertEquals(9, s.get(i).chunk());
            assertEquals(idx[i], s.get(i).index());
            assertEquals(why[i], s.get(i).reason());
            assertNotNull(s.get(i).detail());
        }
        assertEquals("2 columns, expected 3", s.get(0).detail());
        assertEquals("empty src id", s.get(1).detail());
        assertTrue(s.get(2).detail().contains("'nope'"), s.get(2).detail());
    }

    @Test
    void atMostTenBadSamplesKeptInOrder() {
        ParsedChunk.Builder b = ParsedChunk.builder(0, 1, parser(ONE, 3), false);
        b.addLine("a\tr\tb"); // 0 good
        for (int i = 0; i < 15; i++) {
            b.addLine(i % 2 == 0 ? "only\ttwo" : "a\tzzz" + i + "\tb"); // 1..15
        }
        b.addLine("b\tr\tc"); // 16 good
        ParsedChunk c = b.build();
        assertEquals(2, c.size());
        assertEquals(17, c.lines());
        assertEquals(8, c.badCounts()[BadRowReason.WRONG_COLUMN_COUNT.ordinal()]);
        assertEquals(7, c.badCounts()[BadRowReason.UNKNOWN_RELATION.ordinal()]);
        assertEquals(ParsedChunk.BAD_SAMPLES, c.badSamples().size());
        assertEquals(10, c.badSamples().size());
        for (int i = 0; i < 10; i++) {
            BadRow r = c.badSamples().get(i);
            assertEquals(i + 1, r.index());
            assertEquals(i % 2 == 0 ? BadRowReason.WRONG_COLUMN_COUNT : BadRowReason.UNKNOWN_RELATION, r.reason());
        }
        assertEquals(0, c.line(0));
        assertEquals(16, c.line(1));
        assertEquals(List.of("r"), c.relations());
    }

    @Test
    void skipLineCountsALine() {
        ParsedChunk.Builder b = ParsedChunk.builder(0, 0, parser(ONE, 3), false);
        b.skipLine();
        b.skipLine();
        b.addLine("a\tr\tb");
        ParsedChunk c = b.build();
        assertEquals(3, c.lines());
        assertEquals(1, c.size());
        assertEquals(2, c.line(0));
        ParsedChunk empty = ParsedChunk.builder(0, 0, parser(ONE, 3), false).build();
        assertEquals(0, empty.lines());
        assertEquals(0, empty.size());
        assertEquals(0, empty.endpoints().size());
    }

    @Test
    void trainingEndpointsCountDegreesAndFirstAppearance() {
        ParsedChunk c = mixed(0, 4);
        Map<String, EntityRecord> m = endpointsByName(c);
        assertEquals(5, c.endpoints().size());
        assertEquals(
                Map.of(
                        "a",
                        List.of(2, 2),
                        "b",
                        List.of(1, 1),
                        "c",
                        List.of(1, 0),
                        "x",
                        List.of(1, 1),
                        "y",
                        List.of(0, 1)),
                degrees(m));
        assertEquals(ParsedChunk.position(0, 4, 0, 0, 0), m.get("a").first);
        assertEquals(ParsedChunk.position(0, 4, 0, 1, 0), m.get("b").first);
        assertEquals(ParsedChunk.position(0, 4, 2, 0, 0), m.get("c").first);
        assertEquals(ParsedChunk.position(0, 4, 2, 1, 1), m.get("x").first);
        assertEquals(ParsedChunk.position(0, 4, 7, 1, 1), m.get("y").first);
        assertEquals(0, m.get("a").type());
        assertEquals(1, m.get("x").type()); // first seen as an item; later as a user does not change it
        assertEquals(1, m.get("y").type());
        for (String n : m.keySet()) {
            assertEquals(EntityKey.k1(n), m.get(n).k1);
            assertEquals(EntityKey.k2(n), m.get(n).k2);
        }
    }

    @Test
    void nonTrainingEndpointsArePresentWithZeroDegrees() {
        ParsedChunk c = mixed(1, 4);
        Map<String, EntityRecord> m = endpointsByName(c);
        assertEquals(
                Map.of(
                        "a",
                        List.of(0, 0),
                        "b",
                        List.of(0, 0),
                        "c",
                        List.of(0, 0),
                        "x",
                        List.of(0, 0),
                        "y",
                        List.of(0, 0)),
                degrees(m));
        assertEquals(ParsedChunk.position(1, 4, 2, 1, 1), m.get("x").first);
        for (EntityRecord r : m.values()) {
            assertTrue(!r.trained());
        }
        // The test split too.
        assertEquals(5, endpointsByName(mixed(2, 0)).size());
        assertEquals(0, endpointsByName(mixed(2, 0)).get("a").outDegree);
    }

    private static Map<String, List<Integer>> degrees(Map<String, EntityRecord> m) {
        Map<String, List<Integer>> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, List.of(v.outDegree, v.inDegree)));
        return out;
    }

    @Test
    void weightedChunkKeepsWeights() {
        ParsedChunk.Builder b = ParsedChunk.builder(0, 0, parser(ONE, 4), true);
        b.addLine("a\tr\tb\t0.5");
        b.addLine("a\tr\tb\tnan");
        b.addLine("b\tr\ta\t-2");
        ParsedChunk c = b.build();
        assertEquals(2, c.size());
        assertEquals(0.5f, c.weight(0));
        assertEquals(-2f, c.weight(1));
        assertEquals(2, c.line(1));
        assertEquals(1, c.badCounts()[BadRowReason.BAD_WEIGHT.ordinal()]);
    }

    @Test
    void columnsGrowPastInitialCapacity() {
        ParsedChunk.Builder b = ParsedChunk.builder(0, 3, parser(ONE, 3), false);
        int n = 5000;
        for (int i = 0; i < n; i++) {
            if (i % 10 == 9) {
                b.addLine("bad");
            } else {
                b.addLine("s" + i + "\tr\td" + (i % 100));
            }
        }
        ParsedChunk c = b.build();
        assertEquals(n, c.lines());
        assertEquals(n - n / 10, c.size());
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (i % 10 == 9) {
                continue;
            }
            assertEquals(i, c.line(j));
            assertEquals(EntityKey.k1("s" + i), c.srcK1(j));
            assertEquals(EntityKey.k1("d" + (i % 100)), c.dstK1(j));
            j++;
        }
        // 4500 sources + 90 destinations (d9, d19, ... only occur on the bad rows)
        assertEquals(4590, c.endpoints().size());
        EntityRecord d7 = endpointsByName(c).get("d7");
        assertEquals(0, d7.outDegree);
        assertEquals(50, d7.inDegree); // i = 7, 107, ..., 4907: never i % 10 == 9
    }

    @Test
    void positionOrdersBySplitChunkLineSideAndCarriesType() {
        assertEquals(0L, ParsedChunk.position(0, 0, 0, 0, 0));
        assertEquals(1L << 16, ParsedChunk.position(0, 0, 0, 1, 0));
        assertEquals(2L << 16, ParsedChunk.position(0, 0, 1, 0, 0));
        long maxLine = (1L << ParsedChunk.LINE_BITS) - 1;
        int maxChunk = (1 << ParsedChunk.CHUNK_BITS) - 1;
        long[][] tuples = {
            {0, 0, 0, 0, 65535},
            {0, 0, 0, 1, 0},
            {0, 0, 1, 0, 3},
            {0, 0, maxLine, 1, 65535},
            {0, 1, 0, 0, 0},
            {0, 2, 5, 0, 1},
            {0, maxChunk, maxLine, 1, 65535},
            {1, 0, 0, 0, 0},
            {1, 7, 9, 1, 2},
            {2, 0, 0, 0, 0},
            {2, maxChunk, maxLine, 1, 65535}
        };
        long prev = -1;
        for (long[] t : tuples) {
            long p = ParsedChunk.position((int) t[0], (int) t[1], t[2], (int) t[3], (int) t[4]);
            assertTrue(p > prev, "position of " + java.util.Arrays.toString(t) + " not above the previous");
            assertEquals(t[4], p & 0xffff);
            assertEquals((int) t[4], new EntityRecord(0, 0, p, 0, 0, "x").type());
            prev = p;
        }
        // Random tuples: comparing positions compares (split, chunk, line, side) lexicographically.
        Random rnd = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            long[] a = {rnd.nextInt(3), rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(2), rnd.nextInt(65536)};
            long[] b = {rnd.nextInt(3), rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(2), rnd.nextInt(65536)};
            if (i % 2 == 0) {
                a[1] = rnd.nextInt(maxChunk + 1);
                b[1] = rnd.nextInt(maxChunk + 1);
                a[2] = rnd.nextLong(maxLine + 1);
                b[2] = rnd.nextLong(maxLine + 1);
            }
            int expect = 0;
            for (int k = 0; k < 4 && expect == 0; k++) {
                expect = Long.compare(a[k], b[k]);
            }
            long pa = ParsedChunk.position((int) a[0], (int) a[1], a[2], (int) a[3], (int) a[4]);
            long pb = ParsedChunk.position((int) b[0], (int) b[1], b[2], (int) b[3], (int) b[4]);
            if (expect != 0) {
                assertEquals(expect, Long.signum(Long.compare(pa, pb)));
            }
        }
    }

    @Test
    void firstAppearanceAcrossChunksMergesToTheEarliest() {
        ParsedChunk later = mixed(0, 5);
        ParsedChunk earlier = mixed(0, 4);
        ParsedChunk valid = mixed(1, 0);
        Map<EntityRecord.Key96, EntityRecord> merged = new HashMap<>();
        List<ParsedChunk> chunks = new ArrayList<>(List.of(valid, later, earlier));
        for (ParsedChunk c : chunks) {
            for (Iterator<EntityRecord> it = c.endpoints().records(); it.hasNext(); ) {
                EntityRecord r = it.next();
                merged.merge(r.key(), r, EntityRecord::merge);
            }
        }
        EntityRecord a = merged.get(new EntityRecord.Key96(EntityKey.k1("a"), EntityKey.k2("a")));
        assertEquals(ParsedChunk.position(0, 4, 0, 0, 0), a.first);
        assertEquals(4, a.outDegree);
        assertEquals(4, a.inDegree);
    }
}
