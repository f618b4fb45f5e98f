package dev.tessera.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store as a whole: edge blocks written with {@link GraphStore#putEdgeBlocks} read back bit-identical
 * after a reopen, entities, metadata, and the refusals (corrupt blocks, foreign directories, newer formats).
 * SST ingestion of edges and dictionaries is covered by the partitioner's GraphStoreIngestTest.
 */
class GraphStoreTest {
    static final int P = 3;

    @TempDir
    Path tmp;

    /** Random edges, with weights that exercise the bit patterns a float can take (not NaN: parsers reject it). */
    static EdgeBlock randomEdges(Random rnd, int n, boolean weighted) {
        int[] rel = new int[n];
        int[] lhs = new int[n];
        int[] rhs = new int[n];
        float[] w = weighted ? new float[n] : null;
        float[] special = {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MIN_NORMAL, 1e-40f};
        for (int i = 0; i < n; i++) {
            rel[i] = rnd.nextInt(5);
            lhs[i] = rnd.nextInt(100_000);
            rhs[i] = rnd.nextInt(100_000);
            if (weighted) {
                w[i] = rnd.nextInt(10) == 0
                        ? special[rnd.nextInt(special.length)]
                        : Float.intBitsToFloat(rnd.nextInt() & 0x7f7fffff | (rnd.nextBoolean() ? 0x80000000 : 0));
            }
        }
        return new EdgeBlock(rel, lhs, rhs, w);
    }

    /** Cuts edges into consecutive blocks of {@code size}, the last one partial. */
    static List<EdgeBlock> blocks(EdgeBlock all, int size) {
        List<EdgeBlock> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            int to = Math.min(all.size(), from + size);
            out.add(new EdgeBlock(
                    java.util.Arrays.copyOfRange(all.rel(), from, to),
                    java.util.Arrays.copyOfRange(all.lhs(), from, to),
                    java.util.Arrays.copyOfRange(all.rhs(), from, to),
                    all.weights() == null ? null : java.util.Arrays.copyOfRange(all.weights(), from, to)));
        }
        return out;
    }

    static List<EdgeBlock> readAll(GraphStore store, Split split, int l, int r) {
        List<EdgeBlock> out = new ArrayList<>();
        try (EdgeBlockCursor c = store.edges(split, l, r)) {
            while (c.hasNext()) {
                out.add(c.next());
            }
            assertThrows(java.util.NoSuchElementException.class, c::next);
        }
        return out;
    }

    /** Bit-identical comparison, block by block, with a message naming where they differ. */
    static void assertSameBlocks(List<EdgeBlock> expected, List<EdgeBlock> actual, String where) {
        assertEquals(expected.size(), actual.size(), where + ": block count");
        for (int b = 0; b < expected.size(); b++) {
            EdgeBlock e = expected.get(b);
            EdgeBlock a = actual.get(b);
            String at = where + " block " + b;
            assertArrayEquals(e.rel(), a.rel(), at + " rel");
            assertArrayEquals(e.lhs(), a.lhs(), at + " lhs");
            assertArrayEquals(e.rhs(), a.rhs(), at + " rhs");
            assertEquals(e.hasWeights(), a.hasWeights(), at + " weighted");
            if (e.hasWeights()) {
                int[] eb = new int[e.size()];
                int[] ab = new int[a.size()];
                for (int i = 0; i < eb.length; i++) {
                    eb[i] = Float.floatToRawIntBits(e.weights()[i]);
                    ab[i] = Float.floatToRawIntBits(a.weights()[i]);
                }
                assertArrayEquals(eb, ab, at + " weight bits");
            }
        }
    }

    @Test
    void edgeBlocksRoundTripBitIdenticallyAcrossSplitsBucketsAndChunks() {
        Random rnd = new Random(20240611L);
        Path dir = tmp.resolve("g");
        int[][] buckets = {{0, 0}, {0, 1}, {2, 1}, {1, 2}, {2, 2}};
        int[] chunkIds = {0, 2, 256}; // 256 after 2: chunk order must be numeric, whatever the byte order
        int[] blockSizes = {7, 64, 1000};
        Map<String, List<EdgeBlock>> expected = new LinkedHashMap<>();
        try (GraphStore store = GraphStore.create(dir)) {
            int k = 0;
            for (Split split : Split.values()) {
                for (int[] b : buckets) {
                    // Leave (1,2) of valid and (2,2) of test empty, so some buckets exist in one split only.
                    if (split == Split.VALID && b[0] == 1 && b[1] == 2 || split == Split.TEST && b[0] == 2) {
                        continue;
                    }
                    boolean weighted = k++ % 2 == 0;
                    List<EdgeBlock> all = new ArrayList<>();
                    for (int chunk : chunkIds) {
                        int size = blockSizes[rnd.nextInt(blockSizes.length)];
                        List<EdgeBlock> bl = blocks(randomEdges(rnd, 1 + rnd.nextInt(700), weighted), size);
                        store.putEdgeBlocks(split, b[0], b[1], chunk, bl);
                        all.addAll(bl);
                    }
                    expected.put(split.label() + b[0] + b[1], all);
                }
            }
            // Readable before the reopen, too.
            assertSameBlocks(expected.get("train01"), readAll(store, Split.TRAIN, 0, 1), "open train(0,1)");
        }
        try (GraphStore store = GraphStore.openReadOnly(dir)) {
            int nonEmpty = 0;
            for (Split split : Split.values()) {
                for (int l = 0; l < P; l++) {
                    for (int r = 0; r < P; r++) {
                        List<EdgeBlock> exp = expected.getOrDefault(split.label() + l + r, List.of());
                        List<EdgeBlock> got = readAll(store, split, l, r);
                        assertSameBlocks(exp, got, split.label() + "(" + l + "," + r + ")");
                        nonEmpty += got.isEmpty() ? 0 : 1;
                    }
                }
            }
            assertEquals(expected.size(), nonEmpty);
            assertEquals(12, nonEmpty);
            try (EdgeBlockCursor c = store.edges(Split.TRAIN, 1, 1)) {
                assertFalse(c.hasNext(), "an empty bucket yields nothing");
            }
            try (EdgeBlockCursor c = store.edges(Split.VALID, 1, 2)) {
                assertFalse(c.hasNext(), "a bucket filled in other splits only yields nothing here");
            }
            // A read-only store refuses writes with a StorageException, not a crash.
            StorageException e = assertThrows(
                    StorageException.class,
                    () -> store.putEdgeBlocks(
                            Split.TRAIN, 1, 1, 0, List.of(new EdgeBlock(new int[1], new int[1], new int[1], null))));
            assertTrue(e.getMessage().contains("bucket (1,1)"), e.getMessage());
        }
    }

    @Test
    void readIntoAppendsTheSameEdgesAsTheBlocks() {
        Random rnd = new Random(7);
        EdgeBlock plain = randomEdges(rnd, 5_000, false);
        EdgeBlock weighted = randomEdges(rnd, 3_000, true);
        try (GraphStore store = GraphStore.create(tmp.resolve("g"))) {
            // A small block first, so the cursor's value buffer has to grow for the later ones.
            List<EdgeBlock> blocks = new ArrayList<>(blocks(plain, 700));
            blocks.addAll(blocks(weighted, 2_000));
            store.putEdgeBlocks(Split.TRAIN, 0, 1, 0, blocks);
            EdgeColumns out = new EdgeColumns();
            out.append(2, false); // edges already there stay first
            try (EdgeBlockCursor c = store.edges(Split.TRAIN, 0, 1)) {
                c.readInto(out);
                assertFalse(c.hasNext());
            }
            assertEquals(2 + 8_000, out.size);
            int at = 2;
            for (EdgeBlock b : blocks) {
                for (int i = 0; i < b.size(); i++, at++) {
                    assertEquals(b.rel()[i], out.rel[at], "rel of edge " + at);
                    assertEquals(b.lhs()[i], out.lhs[at], "lhs of edge " + at);
                    assertEquals(b.rhs()[i], out.rhs[at], "rhs of edge " + at);
                    float w = b.hasWeights() ? b.weights()[i] : 1f;
                    assertEquals(Float.floatToRawIntBits(w), Float.floatToRawIntBits(out.weight[at]), "weight " + at);
                }
            }
        }
    }

    @Test
    void entitiesRoundTripBothWays() {
        Path dir = tmp.resolve("g");
        Map<String, EntityRef> refs = new LinkedHashMap<>();
        refs.put("alice", new EntityRef(0, 0, 0));
        refs.put("bob", new EntityRef(0, 2, 41));
        refs.put("Q42 \u00e9\u65e5\ud83d\ude00", new EntityRef(1, 0, 7));
        refs.put("", new EntityRef(1, 1, 123_456));
        try (GraphStore store = GraphStore.create(dir)) {
            refs.forEach(store::putEntity);
            assertEquals(Optional.of(new EntityRef(0, 2, 41)), store.entity("bob"));
        }
        try (GraphStore store = GraphStore.openReadOnly(dir)) {
            for (Map.Entry<String, EntityRef> e : refs.entrySet()) {
                assertEquals(Optional.of(e.getValue()), store.entity(e.getKey()), e.getKey());
                EntityRef r = e.getValue();
                assertEquals(e.getKey(), store.entityName(r.type(), r.part(), r.offset()));
            }
            assertEquals(Optional.empty(), store.entity("carol"));
            assertEquals(Optional.empty(), store.entity("alic"));
            StorageException e = assertThrows(StorageException.class, () -> store.entityName(0, 2, 99));
            assertEquals("no entity at names/0/2/99 in " + dir, e.getMessage());
        }
    }

    static TesseraConfig schema() {
        return ConfigLoader.parse(
                "entities:\n  user: {num_partitions: 3}\n  item: {}\n"
                        + "relations:\n  - {name: likes, lhs: user, rhs: item, operator: translation, weight: 2.5}\n"
                        + "  - {name: follows, lhs: user, rhs: user}\n"
                        + "dimension: 64\nlr: 0.05\n",
                "test schema");
    }

    @Test
    void metaRoundTrips() {
        Path dir = tmp.resolve("g");
        TesseraConfig schema = schema();
        Map<String, long[]> entities = new LinkedHashMap<>();
        entities.put("user", new long[] {10, 11, 12});
        entities.put("item", new long[] {5_000_000_000L});
        Map<Split, long[][]> edges = new EnumMap<>(Split.class);
        edges.put(Split.TRAIN, new long[][] {{10, 0, 5}, {0, 20, 0}, {15, 0, 0}});
        edges.put(Split.VALID, new long[][] {{0, 1, 0}, {0, 0, 0}, {0, 0, 0}});
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("rows", 1234);
        report.put("big", 9_000_000_000L);
        report.put("seconds", 1.5);
        report.put("source", "edges \"1\".tsv");
        report.put("bad_rows", new LinkedHashMap<>(Map.of("empty_id", 2)));
        report.put("files", List.of("a.tsv", "b.tsv"));
        GraphMeta meta = new GraphMeta(schema, P, entities, edges, report);
        try (GraphStore store = GraphStore.create(dir)) {
            StorageException none = assertThrows(StorageException.class, store::meta);
            assertEquals("graph store " + dir + " has no graph metadata (import did not finish)", none.getMessage());
            store.writeMeta(meta);
        }
        try (GraphStore store = GraphStore.openReadOnly(dir)) {
            GraphMeta back = store.meta();
            assertEquals(schema, back.schema());
            assertEquals(schema.toJson(), back.schema().toJson());
            assertEquals(2, back.schema().relations().size());
            assertEquals(P, back.numPartitions());
            assertArrayEquals(new long[] {10, 11, 12}, back.entityCounts("user"));
            assertArrayEquals(new long[] {5_000_000_000L}, back.entityCounts("item"));
            assertEquals(33, back.entityCount("user"));
            assertEquals(Map.of("user", 33L, "item", 5_000_000_000L), back.entityTotals());
            assertEquals(
                    List.of("user", "item"), new ArrayList<>(back.entityTotals().keySet()));
            assertThrows(IllegalArgumentException.class, () -> back.entityCounts("nope"));
            assertEquals(50, back.edgeCount(Split.TRAIN));
            assertEquals(5, back.edgeCount(Split.TRAIN, 0, 2));
            assertEquals(15, back.edgeCount(Split.TRAIN, 2, 0));
            assertEquals(1, back.edgeCount(Split.VALID));
            assertEquals(0, back.edgeCount(Split.TEST));
            assertEquals(4, back.nonEmptyBuckets(Split.TRAIN));
            assertEquals(1, back.nonEmptyBuckets(Split.VALID));
            assertEquals(0, back.nonEmptyBuckets(Split.TEST));
            assertEquals(30.0 / 50.0, back.diagonalFraction(Split.TRAIN));
            assertEquals(0.0, back.diagonalFraction(Split.VALID));
            assertEquals(0.0, back.diagonalFraction(Split.TEST));
            assertEquals(report, back.importReport());
            assertEquals(Json.write(report), Json.write(back.importReport()));
        }
    }

    @Test
    void corruptBlockOnDiskIsNamedWhenRead() {
        Path dir = tmp.resolve("g");
        EdgeBlock good = randomEdges(new Random(1), 10, true);
        byte[] tampered = good.encode();
        tampered[40] ^= 0x10; // inside the lhs column
        try (GraphStore store = GraphStore.create(dir)) {
            store.put(Family.EDGES, Keys.edge(Split.TRAIN, 0, 1, 0, 0), tampered);
            // In another bucket a good block precedes the bad one: the good one is returned first.
            store.putEdgeBlocks(Split.VALID, 2, 0, 3, List.of(good, good));
            store.put(Family.EDGES, Keys.edge(Split.VALID, 2, 0, 3, 1), tampered);
        }
        try (GraphStore store = GraphStore.openReadOnly(dir)) {
            try (EdgeBlockCursor c = store.edges(Split.TRAIN, 0, 1)) {
                assertTrue(c.hasNext());
                CorruptBlockException e = assertThrows(CorruptBlockException.class, c::next);
                assertTrue(e.getMessage().contains("edges/train/bucket(0,1)/chunk 0/block 0"), e.getMessage());
                assertTrue(e.getMessage().contains("checksum"), e.getMessage());
            }
            try (EdgeBlockCursor c = store.edges(Split.VALID, 2, 0)) {
                assertEquals(good, c.next());
                CorruptBlockException e = assertThrows(CorruptBlockException.class, c::next);
                assertTrue(
                        e.getMessage()
                                .startsWith(
                                        "stored value at edges/valid/bucket(2,0)/chunk 3/block 1 is unreadable: checksum mismatch"),
                        e.getMessage());
            }
        }
    }

    @Test
    void aDirectoryThatIsNotAStoreIsRefusedByPath() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("not-a-store"));
        Files.writeString(empty.resolve("edges.tsv"), "a\tb\n");
        Path missing = tmp.resolve("missing");
        for (Path p : List.of(empty, missing)) {
            StorageException e = assertThrows(StorageException.class, () -> GraphStore.open(p));
            assertEquals(p + " is not a graph directory (no RocksDB store in it)", e.getMessage());
            StorageException ro = assertThrows(StorageException.class, () -> GraphStore.openReadOnly(p));
            assertTrue(ro.getMessage().contains(p.toString()), ro.getMessage());
        }
        assertFalse(Files.exists(missing), "opening must not create the directory");
        assertFalse(Files.exists(empty.resolve("CURRENT")), "opening must not create a store");
    }

    @Test
    void newerStoreFormatIsRefused() {
        Path dir = tmp.resolve("g");
        try (GraphStore store = GraphStore.create(dir)) {
            store.put(Family.META, "format_version".getBytes(UTF_8), ValueCodecs.encodeJson("{\"format_version\":99}"));
        }
        for (int attempt = 0; attempt < 2; attempt++) { // the second proves the first released its lock
            StorageException e = assertThrows(StorageException.class, () -> GraphStore.open(dir));
            assertEquals(
                    "graph store " + dir + " has format version 99, newer than this Tessera reads (2); "
                            + "upgrade Tessera",
                    e.getMessage());
        }
        StorageException ro = assertThrows(StorageException.class, () -> GraphStore.openReadOnly(dir));
        assertTrue(ro.getMessage().contains("format version 99"), ro.getMessage());
    }

    @Test
    void currentFormatOpensReadWriteAndKeepsData() {
        Path dir = tmp.resolve("g");
        try (GraphStore store = GraphStore.create(dir)) {
            store.putEntity("x", new EntityRef(0, 1, 2));
            assertEquals(dir, store.dir());
        }
        try (GraphStore store = GraphStore.open(dir)) {
            assertEquals("x", store.entityName(0, 1, 2));
            store.putEntity("y", new EntityRef(0, 1, 3));
            store.flush();
            store.compact();
        }
        try (GraphStore store = GraphStore.openReadOnly(dir)) {
            assertEquals(Optional.of(new EntityRef(0, 1, 3)), store.entity("y"));
            assertNotNull(store.get(Family.META, Keys.meta("format_version")));
            assertEquals(
                    "{\"format_version\":2}",
                    ValueCodecs.decodeJson("k", store.get(Family.META, Keys.meta("format_version"))));
            assertNotNull(store.get(Family.ENTITIES, Keys.entity("y")), "entity keys lead with the name's hash");
            assertNull(store.get(Family.ENTITIES, Keys.entityFormat1("y")));
        }
    }

    /** A store written before entity keys led with a hash (format 1) is read and grown in its own format. */
    @Test
    void formatOneStoreKeepsItsEntityKeys() {
        Path dir = tmp.resolve("g");
        try (GraphStore store = GraphStore.create(dir)) {
            store.put(Family.META, Keys.meta("format_version"), ValueCodecs.encodeJson("{\"format_version\":1}"));
            store.put(Family.ENTITIES, Keys.entityFormat1("old"), new EntityRef(0, 0, 7).encode());
        }
        try (GraphStore store = GraphStore.open(dir)) {
            assertEquals(1, store.formatVersion());
            assertEquals(Optional.of(new EntityRef(0, 0, 7)), store.entity("old"));
            store.putEntity("new", new EntityRef(0, 0, 8));
            assertEquals(Optional.of(new EntityRef(0, 0, 8)), store.entity("new"));
            assertNotNull(store.get(Family.ENTITIES, Keys.entityFormat1("new")));
            assertNull(store.get(Family.ENTITIES, Keys.entity("new")));
            assertEquals(Optional.empty(), store.entity("missing"));
            StorageException e = assertThrows(StorageException.class, () -> store.ingestEntities(List.of(dir)));
            assertTrue(e.getMessage().contains("format version 1"), e.getMessage());
        }
    }

    @Test
    void createRefusesAnExistingStore() {
        Path dir = tmp.resolve("g");
        try (GraphStore store = GraphStore.create(dir)) {
            store.putEntity("keep", new EntityRef(0, 0, 0));
            StorageException whileOpen = assertThrows(StorageException.class, () -> GraphStore.create(dir));
            assertEquals("a graph store already exists in " + dir, whileOpen.getMessage());
        }
        StorageException e = assertThrows(StorageException.class, () -> GraphStore.create(dir));
        assertEquals("a graph store already exists in " + dir, e.getMessage());
        try (GraphStore store = GraphStore.openReadOnly(dir)) {
            assertEquals("keep", store.entityName(0, 0, 0));
        }
    }

    @Test
    void ingestOfNoFilesIsANoOp() {
        try (GraphStore store = GraphStore.create(tmp.resolve("g"))) {
            store.ingest(Family.EDGES, List.of());
            try (EdgeBlockCursor c = store.edges(Split.TRAIN, 0, 0)) {
                assertFalse(c.hasNext());
            }
        }
    }
}
