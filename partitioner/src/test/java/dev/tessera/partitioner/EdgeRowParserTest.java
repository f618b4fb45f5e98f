package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import org.junit.jupiter.api.Test;

class EdgeRowParserTest {
    /** user is type 0, item type 1; likes: user -> item, follows: user -> user. */
    private static final TesseraConfig TWO_RELATIONS = ConfigLoader.parse(
            "entities:\n  user: {num_partitions: 2}\n"
                    + "  item: {}\nrelations:\n  - {name: likes, lhs: user, rhs: item}\n"
                    + "  - {name: follows, lhs: user, rhs: user}\n",
            "two relations");

    private static final TesseraConfig ONE_RELATION = ConfigLoader.parse(
            "entities:\n  e: {num_partitions: 2}\nrelations:\n  - {name: r, lhs: e, rhs: e}\n", "one relation");

    private static EdgeRowParser parser(InputFormat format, int columns, TesseraConfig config) {
        return new EdgeRowParser(format, ColumnLayout.byCount(columns, "test"), new RelationCatalog(config));
    }

    private static ParsedEdge parse(EdgeRowParser p, String line) {
        ParsedEdge e = new ParsedEdge();
        p.parseLine(line, e);
        return e;
    }

    private static void assertGood(
            ParsedEdge e, String src, String rel, String dst, int srcType, int dstType, float weight) {
        assertNull(e.bad, () -> "rejected: " + e.bad + " " + e.detail);
        assertNull(e.detail);
        assertEquals(src, e.src);
        assertEquals(rel, e.rel);
        assertEquals(dst, e.dst);
        assertEquals(srcType, e.srcType);
        assertEquals(dstType, e.dstType);
        assertEquals(Float.floatToRawIntBits(weight), Float.floatToRawIntBits(e.weight), "weight " + e.weight);
    }

    private static void assertBad(ParsedEdge e, BadRowReason reason, String detail) {
        assertEquals(reason, e.bad);
        assertEquals(detail, e.detail);
    }

    @Test
    void goodRowsWithAndWithoutWeights() {
        EdgeRowParser three = parser(InputFormat.TSV, 3, TWO_RELATIONS);
        assertGood(parse(three, "alice\tlikes\tbook-1"), "alice", "likes", "book-1", 0, 1, 1f);
        assertGood(parse(three, " bob \t follows \talice\r"), "bob", "follows", "alice", 0, 0, 1f);

        EdgeRowParser four = parser(InputFormat.TSV, 4, TWO_RELATIONS);
        assertGood(parse(four, "alice\tlikes\tbook\t0.25"), "alice", "likes", "book", 0, 1, 0.25f);
        assertGood(parse(four, "alice\tlikes\tbook\t 2 "), "alice", "likes", "book", 0, 1, 2f);
        assertGood(parse(four, "alice\tlikes\tbook\t-1.5e-3"), "alice", "likes", "book", 0, 1, -1.5e-3f);
        assertGood(parse(four, "alice\tlikes\tbook\t0"), "alice", "likes", "book", 0, 1, 0f);

        EdgeRowParser csv = parser(InputFormat.CSV, 4, TWO_RELATIONS);
        assertGood(
                parse(csv, "\"Smith, J.\",likes,\"say \"\"hi\"\"\",3"), "Smith, J.", "likes", "say \"hi\"", 0, 1, 3f);
    }

    @Test
    void wrongColumnCount() {
        EdgeRowParser p = parser(InputFormat.TSV, 3, TWO_RELATIONS);
        assertBad(parse(p, "alice\tbook"), BadRowReason.WRONG_COLUMN_COUNT, "2 columns, expected 3");
        assertBad(parse(p, "alice\tlikes\tbook\t1"), BadRowReason.WRONG_COLUMN_COUNT, "4 columns, expected 3");
        assertBad(parse(p, ""), BadRowReason.WRONG_COLUMN_COUNT, "1 columns, expected 3");
        // In CSV a comma inside quotes does not make a column.
        assertBad(
                parse(parser(InputFormat.CSV, 3, TWO_RELATIONS), "\"a,b\",likes"),
                BadRowReason.WRONG_COLUMN_COUNT,
                "2 columns, expected 3");
    }

    @Test
    void emptyIds() {
        EdgeRowParser p = parser(InputFormat.TSV, 3, TWO_RELATIONS);
        assertBad(parse(p, "\tlikes\tbook"), BadRowReason.EMPTY_ID, "empty src id");
        assertBad(parse(p, "  \tlikes\tbook"), BadRowReason.EMPTY_ID, "empty src id");
        assertBad(parse(p, "alice\tlikes\t"), BadRowReason.EMPTY_ID, "empty dst id");
        assertBad(parse(p, "alice\tlikes\t \r"), BadRowReason.EMPTY_ID, "empty dst id");
        assertBad(parse(p, "\tlikes\t"), BadRowReason.EMPTY_ID, "empty src id");
        // Parquet rows may carry nulls.
        ParsedEdge e = new ParsedEdge();
        p.parseFields(new String[] {"alice", "likes", null}, e);
        assertBad(e, BadRowReason.EMPTY_ID, "empty dst id");
    }

    @Test
    void unknownRelation() {
        EdgeRowParser p = parser(InputFormat.TSV, 3, TWO_RELATIONS);
        assertBad(
                parse(p, "alice\tbuys\tbook"),
                BadRowReason.UNKNOWN_RELATION,
                "relation 'buys' is not declared (declared: follows, likes)");
        assertBad(
                parse(p, "alice\tLikes\tbook"),
                BadRowReason.UNKNOWN_RELATION,
                "relation 'Likes' is not declared (declared: follows, likes)");
        assertBad(parse(p, "alice\t\tbook"), BadRowReason.UNKNOWN_RELATION, "empty relation");
    }

    @Test
    void badWeights() {
        EdgeRowParser p = parser(InputFormat.TSV, 4, TWO_RELATIONS);
        for (String w : new String[] {"abc", "NaN", "Infinity", "-Infinity", "", "1e39", "1,5"}) {
            assertBad(
                    parse(p, "alice\tlikes\tbook\t" + w),
                    BadRowReason.BAD_WEIGHT,
                    "weight '" + w + "' is not a finite number");
        }
        assertBad(
                parse(p, "alice\tlikes\tbook\t abc "), BadRowReason.BAD_WEIGHT, "weight 'abc' is not a finite number");
    }

    @Test
    void aReusedEdgeIsClearedBetweenRows() {
        EdgeRowParser p = parser(InputFormat.TSV, 4, TWO_RELATIONS);
        ParsedEdge e = new ParsedEdge();
        p.parseLine("alice\tlikes\tbook\tNaN", e);
        assertBad(e, BadRowReason.BAD_WEIGHT, "weight 'NaN' is not a finite number");
        p.parseLine("carol\tfollows\tdave\t0.5", e);
        assertGood(e, "carol", "follows", "dave", 0, 0, 0.5f);
        p.parseLine("x\tnope\ty\t1", e);
        assertBad(e, BadRowReason.UNKNOWN_RELATION, "relation 'nope' is not declared (declared: follows, likes)");
    }

    @Test
    void twoColumnInputUsesTheSingleDeclaredRelation() {
        EdgeRowParser p = parser(InputFormat.TSV, 2, ONE_RELATION);
        assertGood(parse(p, "a\tb"), "a", "r", "b", 0, 0, 1f);
        assertGood(parse(parser(InputFormat.CSV, 2, ONE_RELATION), "\"a,1\",b\r"), "a,1", "r", "b", 0, 0, 1f);
        assertBad(parse(p, "a\tr\tb"), BadRowReason.WRONG_COLUMN_COUNT, "3 columns, expected 2");
    }

    @Test
    void twoColumnInputWithTwoRelationsIsRefusedAtConstruction() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parser(InputFormat.TSV, 2, TWO_RELATIONS));
        assertEquals(
                "the input has no relation column, so the config must declare exactly one relation (or none, "
                        + "with discover_relations: true); it declares: follows, likes",
                e.getMessage());
    }

    @Test
    void discoveredRelationsWithTheOnlyType() {
        TesseraConfig c =
                ConfigLoader.parse("entities:\n  node: {num_partitions: 4}\ndiscover_relations: true\n", "discover");
        RelationCatalog catalog = new RelationCatalog(c);
        assertEquals("link", catalog.implicitRelation());
        assertEquals("", catalog.declaredNames());
        assertArrayEquals(new int[] {0, 0}, catalog.types("anything"));

        EdgeRowParser three = parser(InputFormat.TSV, 3, c);
        assertGood(parse(three, "a\tP31\tb"), "a", "P31", "b", 0, 0, 1f);
        assertGood(parse(three, "a\tsome relation\tb"), "a", "some relation", "b", 0, 0, 1f);
        EdgeRowParser two = parser(InputFormat.TSV, 2, c);
        assertGood(parse(two, "a\tb"), "a", "link", "b", 0, 0, 1f);
    }

    @Test
    void discoveredRelationsTakeTheTemplateTypesAndDeclaredOnesKeepTheirs() {
        TesseraConfig c = ConfigLoader.parse(
                "entities:\n  user: {}\n  item: {}\n"
                        + "relations:\n  - {name: follows, lhs: user, rhs: user}\n"
                        + "relation_template: {lhs: user, rhs: item}\ndiscover_relations: true\n",
                "template");
        EdgeRowParser p = parser(InputFormat.TSV, 4, c);
        assertGood(parse(p, "u1\tviews\ti9\t0.5"), "u1", "views", "i9", 0, 1, 0.5f);
        assertGood(parse(p, "u1\tfollows\tu2\t1"), "u1", "follows", "u2", 0, 0, 1f);
        assertBad(parse(p, "u1\tviews\ti9\tx"), BadRowReason.BAD_WEIGHT, "weight 'x' is not a finite number");
        // One declared relation: two-column input uses it, not "link".
        assertGood(parse(parser(InputFormat.TSV, 2, c), "u1\tu2"), "u1", "follows", "u2", 0, 0, 1f);
    }
}
