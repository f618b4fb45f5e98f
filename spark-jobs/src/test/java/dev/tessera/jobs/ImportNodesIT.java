package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import --nodes}: entities with or without edges, their types, and the node file's bad rows. */
class ImportNodesIT {
    private static final String CONFIG = String.join(
            "\n",
            "entities:",
            "  user: {num_partitions: 2}",
            "  item: {}",
            "relations:",
            "  - {name: likes, lhs: user, rhs: item}",
            "  - {name: follows, lhs: user, rhs: user}",
            "");
    private static final String EDGES = "alice\tlikes\tbook\nalice\tfollows\tbob\nbob\tlikes\tlamp\n";

    /** Line by line: which node rows are bad and why. */
    private static final String NODES = String.join(
            "\n",
            "zoe\tuser", // 1 ok, no edge
            "pen\titem", // 2 ok, no edge
            "alice\tuser", // 3 ok, also in edges
            "carol", // 4 no type, and there are two types
            "dan\tgadget", // 5 unknown type
            "\tuser", // 6 empty id
            "erin\tuser\textra", // 7 three columns
            "lamp\tuser", // 8 declared a user: 'bob likes lamp' (edge line 3) becomes a wrong-type row
            "");

    @Test
    void badNodeRowsFailTheImportAndNameFileLineAndReason(@TempDir Path tmp) {
        Path out = tmp.resolve("graph");
        Path nodes = ImportFixtures.file(tmp, "nodes.tsv", NODES);
        ImportFailedException e = assertThrows(ImportFailedException.class, () -> run(tmp, nodes, out, 0));
        String m = e.getMessage();
        assertTrue(m.startsWith("4 bad rows (more than --max-bad-rows 0); nothing was written"), m);
        assertTrue(m.contains(nodes + ":4: no type column, and the config declares 2 entity types (user, item)"), m);
        assertTrue(m.contains(nodes + ":5: entity type 'gadget' is not declared (declared: user, item)"), m);
        assertTrue(m.contains(nodes + ":6: empty node id"), m);
        assertTrue(m.contains(nodes + ":7: 3 columns, expected 1 or 2 (name[<TAB>type])"), m);
        assertTrue(m.contains("unknown_entity_type=1"), m);
        assertFalse(Files.exists(out));
    }

    @Test
    void declaredNodesAreImportedWithOrWithoutEdgesAsTheTypeTheyAreGiven(@TempDir Path tmp) {
        Path out = tmp.resolve("graph");
        Path nodes = ImportFixtures.file(tmp, "nodes.tsv", NODES);
        Map<String, Object> report = run(tmp, nodes, out, 5);

        Map<?, ?> bad = (Map<?, ?>) report.get("bad_rows");
        assertEquals(5L, bad.get("total"));
        assertEquals(
                Map.of("wrong_column_count", 2L, "unknown_entity_type", 1L, "empty_id", 1L, "wrong_entity_type", 1L),
                bad.get("by_reason"));
        assertTrue(
                bad.get("first")
                        .toString()
                        .contains(":3: dst 'lamp' is a user (its type where it first appears; "
                                + "a node file comes first) but relation 'likes' expects a item"),
                bad.get("first").toString());
        // users: zoe, alice, bob, lamp; items: book, pen.
        assertEquals(Map.of("user", 4L, "item", 2L), report.get("entities"));
        // zoe and pen. (lamp's edge, rejected once the dictionary knows its type, was counted in its degree as
        // the rows were parsed, as every wrong-type row's endpoints are.)
        assertEquals(Map.of("lines", 8L, "entities_without_training_edges", 2L), report.get("nodes"));
        assertEquals(List.of("alice\tfollows\tbob", "alice\tlikes\tbook"), StoredGraph.triples(out, Split.TRAIN));
        try (GraphStore g = GraphStore.openReadOnly(out)) {
            EntityRef zoe = g.entity("zoe").orElseThrow();
            EntityRef pen = g.entity("pen").orElseThrow();
            assertEquals(0, zoe.type());
            assertEquals(1, pen.type());
            assertEquals("zoe", g.entityName(zoe.type(), zoe.part(), zoe.offset()));
            assertEquals(0, g.entity("lamp").orElseThrow().type(), "the node file's type wins");
            assertFalse(g.entity("carol").isPresent(), "a rejected node row adds nothing");
        }
    }

    @Test
    void aSingleTypeGraphTakesNamesWithoutAType(@TempDir Path tmp) {
        Path config = ImportFixtures.config(tmp, "entities:\n  node: {num_partitions: 2}\ndiscover_relations: true\n");
        Path edges = ImportFixtures.file(tmp, "edges.tsv", "a\tr\tb\nb\tr\tc\n");
        Path nodes = ImportFixtures.file(tmp, "nodes.tsv", "a\nlonely\nhermit\tnode\n");
        Map<String, Object> report = ImportFixtures.run(ImportOptions.builder(config, tmp.resolve("graph"))
                .inputs(ImportFixtures.splits(edges, null, null))
                .nodes(nodes.toString())
                .build());
        assertEquals(Map.of("node", 5L), report.get("entities"));
        assertEquals(Map.of("lines", 3L, "entities_without_training_edges", 2L), report.get("nodes"));
    }

    private static Map<String, Object> run(Path tmp, Path nodes, Path out, long maxBad) {
        return ImportFixtures.run(ImportOptions.builder(ImportFixtures.config(tmp, CONFIG), out)
                .inputs(ImportFixtures.splits(ImportFixtures.file(tmp, "edges.tsv", EDGES), null, null))
                .nodes(nodes.toString())
                .strategy(PartitionStrategy.HASH)
                .maxBadRows(maxBad)
                .build());
    }
}
