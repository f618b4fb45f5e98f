package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reason a row is rejected, the --max-bad-rows decision, and what is left on disk either way. */
class ImportBadInputIT {
    private static final String CONFIG = String.join(
            "\n",
            "entities:",
            "  user: {num_partitions: 2}",
            "  item: {}",
            "relations:",
            "  - {name: likes, lhs: user, rhs: item}",
            "  - {name: follows, lhs: user, rhs: user}",
            "");

    /** Line by line: which rows are bad and why. */
    private static final String EDGES = String.join(
            "\n",
            "alice\tlikes\tbook\t1.0", // 1 ok
            "alice\tfollows\tbob\t2.5", // 2 ok
            "bob\tlikes\tbook", // 3 wrong column count
            "\tlikes\tbook\t1", // 4 empty src id
            "carol\thates\tbook\t1", // 5 unknown relation
            "carol\tlikes\tpen\tNaN", // 6 weight not finite
            "carol\tlikes\tpen\tabc", // 7 weight not a number
            "carol\tfollows\tbook\t1", // 8 'book' is an item (line 1), 'follows' expects a user
            "carol\tlikes\tpen\t0.5", // 9 ok
            "");

    @Test
    void badRowsFailTheImportAndNameFileLineAndReason(@TempDir Path tmp) {
        Path edges = ImportFixtures.file(tmp, "edges.tsv", EDGES);
        Path out = tmp.resolve("graph");
        ImportFailedException e = assertThrows(
                ImportFailedException.class,
                () -> ImportFixtures.run(
                        ImportFixtures.config(tmp, CONFIG),
                        ImportFixtures.splits(edges, null, null),
                        out,
                        null,
                        PartitionStrategy.HASH,
                        null,
                        null,
                        0,
                        false));
        String m = e.getMessage();
        // Rows that fail parsing stop the import before the dictionary exists, so type errors are not counted yet.
        assertTrue(m.startsWith("5 bad rows (more than --max-bad-rows 0); nothing was written"), m);
        assertTrue(m.contains(edges + ":3: 3 columns, expected 4"), m);
        assertTrue(m.contains(edges + ":4: empty src id"), m);
        assertTrue(m.contains(edges + ":5: relation 'hates' is not declared (declared: follows, likes)"), m);
        assertTrue(m.contains(edges + ":6: weight 'NaN' is not a finite number"), m);
        assertTrue(m.contains(edges + ":7: weight 'abc' is not a finite number"), m);
        assertTrue(m.contains("wrong_column_count=1"), m);
        assertTrue(m.contains("bad_weight=2"), m);
        assertFalse(Files.exists(out), "a failed import must not create the graph directory");
        assertEquals(List.of(edges.getFileName()), listNames(tmp, "edges"), "nothing left beside the input");
    }

    @Test
    void entityOfTheWrongTypeFailsTheImport(@TempDir Path tmp) {
        Path edges = ImportFixtures.file(tmp, "edges.tsv", "alice\tlikes\tbook\ncarol\tfollows\tbook\n");
        Path out = tmp.resolve("graph");
        ImportFailedException e = assertThrows(
                ImportFailedException.class,
                () -> ImportFixtures.run(
                        ImportFixtures.config(tmp, CONFIG), ImportFixtures.splits(edges, null, null), out, 1));
        assertTrue(
                e.getMessage()
                        .contains(
                                edges + ":2: dst 'book' is a item (its type where it first appears; a node file comes "
                                        + "first) but "
                                        + "relation 'follows' expects a user"),
                e.getMessage());
        assertTrue(e.getMessage().contains("wrong_entity_type=1"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void toleratedBadRowsAreCountedAndTheGoodOnesStored(@TempDir Path tmp) {
        Path edges = ImportFixtures.file(tmp, "edges.tsv", EDGES);
        Path out = tmp.resolve("graph");
        Map<String, Object> report = ImportFixtures.run(
                ImportFixtures.config(tmp, CONFIG),
                ImportFixtures.splits(edges, null, null),
                out,
                null,
                PartitionStrategy.HASH,
                null,
                null,
                6,
                false);
        Map<?, ?> bad = (Map<?, ?>) report.get("bad_rows");
        assertEquals(6L, bad.get("total"));
        assertEquals(
                Map.of(
                        "wrong_column_count",
                        1L,
                        "empty_id",
                        1L,
                        "unknown_relation",
                        1L,
                        "bad_weight",
                        2L,
                        "wrong_entity_type",
                        1L),
                bad.get("by_reason"));
        List<?> first = (List<?>) bad.get("first");
        assertEquals(6, first.size());
        assertTrue(first.get(0).toString().endsWith("edges.tsv:3: 3 columns, expected 4"), first.toString());
        assertTrue(first.get(5).toString().contains("edges.tsv:8: dst 'book'"), first.toString());
        assertEquals(
                List.of("alice\tfollows\tbob\t2.5", "alice\tlikes\tbook", "carol\tlikes\tpen\t0.5"),
                StoredGraph.triples(out, Split.TRAIN));
    }

    @Test
    void existingGraphDirectoryIsRefusedUnlessOverwrite(@TempDir Path tmp) throws IOException {
        Path edges = ImportFixtures.file(tmp, "edges.tsv", "alice\tlikes\tbook\n");
        Path config = ImportFixtures.config(tmp, CONFIG);
        Path out = tmp.resolve("graph");
        ImportFixtures.run(config, ImportFixtures.splits(edges, null, null), out, 1);
        Path other = ImportFixtures.file(tmp, "other.tsv", "dave\tlikes\tlamp\ndave\tfollows\terin\n");
        StorageException e = assertThrows(
                StorageException.class,
                () -> ImportFixtures.run(config, ImportFixtures.splits(other, null, null), out, 1));
        assertTrue(e.getMessage().contains("already exists; pass --overwrite"), e.getMessage());
        assertEquals(List.of("alice\tlikes\tbook"), StoredGraph.triples(out, Split.TRAIN), "old graph untouched");

        ImportFixtures.run(
                config, ImportFixtures.splits(other, null, null), out, 1, PartitionStrategy.HASH, null, null, 0, true);
        assertEquals(List.of("dave\tfollows\terin", "dave\tlikes\tlamp"), StoredGraph.triples(out, Split.TRAIN));
        assertEquals(List.of(), listNames(tmp, ".graph"), "no staging or replaced directories left");
    }

    @Test
    void heldOutRowsWithEntitiesUnseenInTrainAreCountedAndKept(@TempDir Path tmp) {
        Path train = ImportFixtures.file(tmp, "train.tsv", "alice\tlikes\tbook\nbob\tfollows\talice\n");
        Path valid = ImportFixtures.file(tmp, "valid.tsv", "bob\tlikes\tbook\nzoe\tlikes\tbook\n");
        Path test = ImportFixtures.file(tmp, "test.tsv", "alice\tlikes\tnewbook\n");
        Path out = tmp.resolve("graph");
        Map<String, Object> report = ImportFixtures.run(
                ImportFixtures.config(tmp, CONFIG), ImportFixtures.splits(train, valid, test), out, 1);
        assertEquals(Map.of("valid", 1L, "test", 1L), report.get("unseen_in_train"));
        assertEquals(List.of("bob\tlikes\tbook", "zoe\tlikes\tbook"), StoredGraph.triples(out, Split.VALID));
        try (GraphStore store = GraphStore.openReadOnly(out)) {
            int zoe = store.entity("zoe").orElseThrow().offset();
            int[][] degrees = store.degrees(0, store.entity("zoe").orElseThrow().part(), (int) store.meta()
                    .entityCounts("user")[store.entity("zoe").orElseThrow().part()]);
            assertEquals(0, degrees[0][zoe] + degrees[1][zoe], "degrees count training edges only");
        }
    }

    @Test
    void emptyInputAndMissingColumnsAreClearErrors(@TempDir Path tmp) {
        Path config = ImportFixtures.config(tmp, CONFIG);
        Path empty = ImportFixtures.file(tmp, "empty.tsv", "");
        ImportFailedException e = assertThrows(
                ImportFailedException.class,
                () -> ImportFixtures.run(config, ImportFixtures.splits(empty, null, null), tmp.resolve("g"), 1));
        assertTrue(e.getMessage().endsWith("empty.tsv: the file is empty"), e.getMessage());
        Path five = ImportFixtures.file(tmp, "five.tsv", "a\tb\tc\td\te\n");
        e = assertThrows(
                ImportFailedException.class,
                () -> ImportFixtures.run(config, ImportFixtures.splits(five, null, null), tmp.resolve("g"), 1));
        assertTrue(
                e.getMessage().contains("five.tsv: 5 columns; expected 2 (src dst), 3 (src rel dst)"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("g")));
    }

    private static List<Path> listNames(Path dir, String prefix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(Path::getFileName)
                    .filter(p -> p.toString().startsWith(prefix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
