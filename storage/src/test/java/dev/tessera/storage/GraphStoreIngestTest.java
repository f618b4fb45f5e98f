package dev.tessera.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk-import path into a graph store: bucket chunks written by {@link EdgeBucketSstWriter} and partition
 * dictionaries by {@link PartitionDictionaryWriter}, ingested with {@link GraphStore#ingestEdges} and
 * {@link GraphStore#ingestPartitionDictionaries}, then read back after a read-only reopen.
 */
class GraphStoreIngestTest {
    private static final int P = 3;

    @TempDir
    Path tmp;

    /** A chunk of random edges, raw (not yet in blocks). */
    private record Chunk(int[] rel, int[] lhs, int[] rhs, float[] w) {
        int size() {
            return rel.length;
        }
    }

    private static Chunk randomChunk(Random rnd, int n, boolean weighted) {
        int[] rel = new int[n];
        int[] lhs = new int[n];
        int[] rhs = new int[n];
        float[] w = weighted ? new float[n] : null;
        for (int i = 0; i < n; i++) {
            rel[i] = rnd.nextInt(7);
            lhs[i] = rnd.nextInt(50_000);
            rhs[i] = rnd.nextInt(50_000);
            if (weighted) {
                w[i] = i % 13 == 0 ? -0.0f : Float.intBitsToFloat(rnd.nextInt() & 0x7f7fffff);
            }
        }
        return new Chunk(rel, lhs, rhs, w);
    }

    /** What the writer should produce for one chunk: blocks of blockSize, the last partial. */
    private static List<EdgeBlock> expectedBlocks(Chunk c, int blockSize) {
        List<EdgeBlock> out = new ArrayList<>();
        for (int from = 0; from < c.size(); from += blockSize) {
            int to = Math.min(c.size(), from + blockSize);
            out.add(new EdgeBlock(
                    Arrays.copyOfRange(c.rel, from, to),
                    Arrays.copyOfRange(c.lhs, from, to),
                    Arrays.copyOfRange(c.rhs, from, to),
                    c.w == null ? null : Arrays.copyOfRange(c.w, from, to)));
        }
        return out;
    }

    private static List<EdgeBlock> readAll(GraphStore store, Split split, int l, int r) {
        List<EdgeBlock> out = new ArrayList<>();
        try (EdgeBlockCursor c = store.edges(split, l, r)) {
            while (c.hasNext()) {
                out.add(c.next());
            }
        }
        return out;
    }

    private static void assertSameBlocks(List<EdgeBlock> expected, List<EdgeBlock> actual, String where) {
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
                for (int i = 0; i < e.size(); i++) {
                    assertEquals(
                            Float.floatToRawIntBits(e.weights()[i]),
                            Float.floatToRawIntBits(a.weights()[i]),
                            at + " weight " + i);
                }
            }
        }
    }

    @Test
    void bucketSstChunksIngestAndReadBackBitIdentically() {
        Random rnd = new Random(77L);
        Path dir = tmp.resolve("graph");
        Path ssts = tmp.resolve("sst");
        int[][] buckets = {{0, 1}, {1, 1}, {2, 0}};
        int[] blockSizes = {5, 100, EdgeBlock.DEFAULT_SIZE};
        Map<String, List<EdgeBlock>> expected = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        int k = 0;
        try {
            Files.createDirectories(ssts);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        for (Split split : Split.values()) {
            for (int[] b : buckets) {
                boolean weighted = k % 2 == 1;
                int blockSize = blockSizes[k % blockSizes.length];
                k++;
                List<EdgeBlock> all = new ArrayList<>();
                // Several chunks of one bucket, as different tasks would write them; chunk 2 gets no edges.
                for (int chunk = 0; chunk < 4; chunk++) {
                    int n = chunk == 2 ? 0 : chunk == 3 ? blockSize * 2 : 1 + rnd.nextInt(3 * blockSize);
                    Chunk c = randomChunk(rnd, n, weighted);
                    Path f = ssts.resolve(split.label() + "-" + b[0] + "-" + b[1] + "-" + chunk + ".sst");
                    try (EdgeBucketSstWriter w =
                            new EdgeBucketSstWriter(f, split, b[0], b[1], chunk, weighted, blockSize)) {
                        for (int i = 0; i < n; i++) {
                            w.add(c.rel[i], c.lhs[i], c.rhs[i], weighted ? c.w[i] : 99f);
                        }
                        assertEquals(n, w.edges());
                        Path done = w.finish();
                        if (n == 0) {
                            assertNull(done, "an empty chunk writes no file");
                            assertFalse(Files.exists(f));
                        } else {
                            assertEquals(f, done);
                            files.add(done);
                        }
                    }
                    all.addAll(expectedBlocks(c, blockSize));
                }
                expected.put(split.label() + b[0] + b[1], all);
            }
        }
        try (GraphStore store = GraphStore.create(dir)) {
            // Ingest in two calls, in an order other than key order.
            List<Path> reversed = new ArrayList<>(files);
            java.util.Collections.reverse(reversed);
            store.ingestEdges(reversed.subList(0, 5));
            store.ingestEdges(reversed.subList(5, reversed.size()));
        }
        try (GraphStore store = GraphStore.openReadOnly(dir)) {
            int nonEmpty = 0;
            for (Split split : Split.values()) {
                for (int l = 0; l < P; l++) {
                    for (int r = 0; r < P; r++) {
                        List<EdgeBlock> got = readAll(store, split, l, r);
                        assertSameBlocks(
                                expected.getOrDefault(split.label() + l + r, List.of()),
                                got,
                                split.label() + "(" + l + "," + r + ")");
                        nonEmpty += got.isEmpty() ? 0 : 1;
                    }
                }
            }
            assertEquals(9, nonEmpty);
            try (EdgeBlockCursor c = store.edges(Split.TRAIN, 0, 0)) {
                assertFalse(c.hasNext(), "an empty bucket yields nothing");
            }
            // Unweighted chunks come back unweighted even though add() was given a weight.
            assertFalse(readAll(store, Split.TRAIN, 0, 1).get(0).hasWeights());
            assertTrue(readAll(store, Split.TRAIN, 1, 1).get(0).hasWeights());
        }
    }

    @Test
    void partitionDictionariesIngestIntoNamesAndDegrees() throws Exception {
        Random rnd = new Random(5L);
        Path dir = tmp.resolve("graph");
        Path ssts = Files.createDirectories(tmp.resolve("sst"));
        // (type, part, size): spans 3 degree blocks with a partial one; exactly one full block; a single entity.
        int[][] parts = {{0, 0, 2 * DegreeBlock.MAX_ENTITIES + 123}, {0, 1, DegreeBlock.MAX_ENTITIES}, {1, 2, 1}};
        Map<String, String[]> names = new LinkedHashMap<>();
        Map<String, int[][]> degrees = new LinkedHashMap<>();
        List<Path> nameFiles = new ArrayList<>();
        List<Path> degreeFiles = new ArrayList<>();
        for (int[] p : parts) {
            String id = p[0] + "/" + p[1];
            String[] n = new String[p[2]];
            int[] out = new int[p[2]];
            int[] in = new int[p[2]];
            try (PartitionDictionaryWriter w = new PartitionDictionaryWriter(
                    ssts.resolve("names-" + p[0] + "-" + p[1]),
                    ssts.resolve("degrees-" + p[0] + "-" + p[1]),
                    p[0],
                    p[1])) {
                for (int i = 0; i < p[2]; i++) {
                    n[i] = "t" + p[0] + "p" + p[1] + "-entity-" + i + (i % 100 == 0 ? "-\u00e9\u65e5" : "");
                    out[i] = rnd.nextInt(1_000_000);
                    in[i] = rnd.nextInt(10);
                    w.add(i, n[i], out[i], in[i]);
                }
                List<Path> done = w.finish();
                assertEquals(2, done.size());
                nameFiles.add(done.get(0));
                degreeFiles.add(done.get(1));
            }
            names.put(id, n);
            degrees.put(id, new int[][] {out, in});
        }
        try (GraphStore store = GraphStore.create(dir)) {
            store.ingestPartitionDictionaries(nameFiles, degreeFiles);
        }
        try (GraphStore store = GraphStore.openReadOnly(dir)) {
            for (int[] p : parts) {
                String id = p[0] + "/" + p[1];
                String[] n = names.get(id);
                for (int i = 0; i < n.length; i++) {
                    assertEquals(n[i], store.entityName(p[0], p[1], i));
                }
                int[][] d = store.degrees(p[0], p[1], p[2]);
                assertArrayEquals(degrees.get(id)[0], d[0], id + " out-degrees");
                assertArrayEquals(degrees.get(id)[1], d[1], id + " in-degrees");
                assertThrows(StorageException.class, () -> store.entityName(p[0], p[1], p[2]));
            }
            // Asking for more entities than were written: the missing block is named.
            CorruptBlockException e =
                    assertThrows(CorruptBlockException.class, () -> store.degrees(0, 1, DegreeBlock.MAX_ENTITIES + 1));
            assertEquals(
                    "stored value at degrees/0/1/" + DegreeBlock.MAX_ENTITIES
                            + " is unreadable: missing; the partition has " + (DegreeBlock.MAX_ENTITIES + 1)
                            + " entities",
                    e.getMessage());
            assertEquals(0, store.degrees(0, 0, 0)[0].length);
            // The dictionary writer only wrote names -> the entities family is untouched.
            assertEquals(Optional.empty(), store.entity(names.get("0/0")[0]));
        }
    }

    @Test
    void dictionaryWriterInsistsOnDenseOffsetsAndWritesNothingWhenEmpty() {
        try (PartitionDictionaryWriter w = new PartitionDictionaryWriter(tmp.resolve("n"), tmp.resolve("d"), 2, 5)) {
            w.add(0, "a", 1, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.add(2, "c", 1, 1));
            assertEquals(
                    "partition (2,5): offset 2 arrived where 1 was due; offsets must be consecutive and in order",
                    e.getMessage());
        }
        try (PartitionDictionaryWriter w = new PartitionDictionaryWriter(tmp.resolve("n2"), tmp.resolve("d2"), 0, 0)) {
            assertEquals(Arrays.asList(null, null), w.finish());
        }
        assertFalse(Files.exists(tmp.resolve("n2")));
        assertFalse(Files.exists(tmp.resolve("d2")));
    }

    @Test
    void ingestedAndPutEntitiesCoexist() throws Exception {
        Path dir = tmp.resolve("graph");
        Path ssts = Files.createDirectories(tmp.resolve("sst"));
        List<Path> files;
        try (PartitionDictionaryWriter w = new PartitionDictionaryWriter(ssts.resolve("n"), ssts.resolve("d"), 0, 1)) {
            w.add(0, "from-sst", 3, 4);
            files = w.finish();
        }
        try (GraphStore store = GraphStore.create(dir)) {
            store.putEntity("from-put", new EntityRef(0, 0, 0));
            store.ingestPartitionDictionaries(files.subList(0, 1), files.subList(1, 2));
        }
        try (GraphStore store = GraphStore.openReadOnly(dir)) {
            assertEquals("from-put", store.entityName(0, 0, 0));
            assertEquals("from-sst", store.entityName(0, 1, 0));
            int[][] d = store.degrees(0, 1, 1);
            assertArrayEquals(new int[] {3}, d[0]);
            assertArrayEquals(new int[] {4}, d[1]);
            assertNotNull(store.entity("from-put").orElse(null));
        }
    }

    @Test
    void entityFilesIngestIntoTheNameSideAndEdgeFilesReportTheirKeyRange() throws Exception {
        Path ssts = Files.createDirectories(tmp.resolve("sst"));
        // Sorted by sort key, which leads with the name's hash, not by String order.
        List<String> names = new ArrayList<>(List.of("z", "a", "\u00e9", "b"));
        names.sort((x, y) -> Arrays.compareUnsigned(EntitySstWriter.sortKey(x), EntitySstWriter.sortKey(y)));
        assertEquals(List.of("\u00e9", "b", "a", "z"), names);
        Path entities;
        try (EntitySstWriter w = new EntitySstWriter(ssts.resolve("entities"))) {
            for (int i = 0; i < names.size(); i++) {
                w.put(names.get(i), new EntityRef(1, 2, i));
            }
            entities = w.finish();
        }
        Path edges;
        try (EdgeBucketSstWriter w = new EdgeBucketSstWriter(ssts.resolve("edges"), Split.VALID, 1, 2, 7, false, 2)) {
            for (int i = 0; i < 5; i++) {
                w.add(0, i, i, 1f);
            }
            edges = w.finish();
        }
        assertEquals(
                List.of(new EdgeBlockKey(Split.VALID, 1, 2, 7, 0), new EdgeBlockKey(Split.VALID, 1, 2, 7, 2)),
                EdgeBucketSstWriter.keyRange(edges));
        assertEquals("edges/valid/bucket(1,2)/chunk 7/block 2", new EdgeBlockKey(Split.VALID, 1, 2, 7, 2).toString());
        try (GraphStore store = GraphStore.create(tmp.resolve("graph"))) {
            store.ingestEntities(List.of(entities));
            store.ingestEdges(List.of(edges));
        }
        try (GraphStore store = GraphStore.openReadOnly(tmp.resolve("graph"))) {
            for (int i = 0; i < names.size(); i++) {
                assertEquals(Optional.of(new EntityRef(1, 2, i)), store.entity(names.get(i)));
            }
            assertEquals(3, readAll(store, Split.VALID, 1, 2).size());
        }
    }

    @Test
    void putEntitiesAndDegreesReadBackAsIngestedOnesDo() {
        int n = DegreeBlock.MAX_ENTITIES + 3;
        int[] out = new int[n];
        int[] in = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
            in[i] = 2 * i;
        }
        try (GraphStore store = GraphStore.create(tmp.resolve("graph"))) {
            store.putEntities(List.of("x", "y"), List.of(new EntityRef(0, 1, 0), new EntityRef(0, 1, 1)));
            store.putDegrees(0, 1, out, in);
            assertEquals("y", store.entityName(0, 1, 1));
            assertEquals(Optional.of(new EntityRef(0, 1, 0)), store.entity("x"));
            int[][] d = store.degrees(0, 1, n);
            assertArrayEquals(out, d[0]);
            assertArrayEquals(in, d[1]);
            assertEquals(
                    DegreeBlock.MAX_ENTITIES, store.degreeBlock(0, 1, n - 1).first());
        }
    }
}
