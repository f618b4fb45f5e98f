package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.EdgeBlockKey;
import dev.tessera.storage.EdgeBucketSstWriter;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BucketWritersTest {
    private static final int CHUNK = 7;

    @TempDir
    Path tmp;

    private record Bucket(Split split, int lhs, int rhs) {}

    private record Edge(int rel, int lhs, int rhs, float w) {}

    private static final List<Bucket> BUCKETS = List.of(
            new Bucket(Split.TRAIN, 0, 0),
            new Bucket(Split.TRAIN, 0, 1),
            new Bucket(Split.TRAIN, 1, 0),
            new Bucket(Split.TRAIN, 1, 1),
            new Bucket(Split.VALID, 0, 1));

    /** First and last key of an SST file. */
    private static List<Edge> readBack(GraphStore store, Bucket b, int blockSize, boolean weighted) {
        List<Edge> out = new ArrayList<>();
        try (EdgeBlockCursor c = store.edges(b.split, b.lhs, b.rhs)) {
            while (c.hasNext()) {
                EdgeBlock blk = c.next();
                assertTrue(blk.size() >= 1 && blk.size() <= blockSize, "block of " + blk.size());
                assertEquals(weighted, blk.hasWeights());
                for (int i = 0; i < blk.size(); i++) {
                    out.add(new Edge(blk.rel()[i], blk.lhs()[i], blk.rhs()[i], weighted ? blk.weights()[i] : 1f));
                }
            }
        }
        return out;
    }

    private void check(
            boolean interleaved,
            boolean weighted,
            int maxOpen,
            int blockSize,
            int expectedFilesMin,
            int expectedFilesMax)
            throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Random rnd = new Random(interleaved ? 99 : 98);
        Map<Bucket, List<Edge>> expected = new LinkedHashMap<>();
        Map<Bucket, Long> unseen = new HashMap<>();
        List<Bucket> order = new ArrayList<>();
        for (Bucket b : BUCKETS) {
            expected.put(b, new ArrayList<>());
            unseen.put(b, 0L);
            int n = 50 + rnd.nextInt(200);
            for (int i = 0; i < n; i++) {
                order.add(b);
            }
        }
        if (interleaved) {
            java.util.Collections.shuffle(order, rnd);
        }
        List<BucketWriters.File> files;
        try (BucketWriters w = new BucketWriters(out, CHUNK, weighted, blockSize, maxOpen)) {
            for (Bucket b : order) {
                Edge e =
                        new Edge(rnd.nextInt(5), rnd.nextInt(1000), rnd.nextInt(1000), weighted ? rnd.nextFloat() : 1f);
                boolean u = rnd.nextInt(4) == 0;
                w.add(b.split, b.lhs, b.rhs, e.rel, e.lhs, e.rhs, e.w, u);
                expected.get(b).add(e);
                if (u) {
                    unseen.merge(b, 1L, Long::sum);
                }
            }
            files = w.finish();
        }
        assertTrue(files.size() >= expectedFilesMin && files.size() <= expectedFilesMax, files.size() + " files");
        Map<Bucket, Long> fileEdges = new HashMap<>();
        Map<Bucket, Long> fileUnseen = new HashMap<>();
        List<List<EdgeBlockKey>> ranges = new ArrayList<>();
        for (BucketWriters.File f : files) {
            assertTrue(Files.isRegularFile(f.path()), f.path().toString());
            assertTrue(f.edges() > 0);
            Bucket b = new Bucket(f.split(), f.lhsPart(), f.rhsPart());
            assertTrue(expected.containsKey(b), "file for unknown bucket " + b);
            fileEdges.merge(b, f.edges(), Long::sum);
            fileUnseen.merge(b, f.unseen(), Long::sum);
            List<EdgeBlockKey> r = EdgeBucketSstWriter.keyRange(f.path());
            // every key of the file belongs to its bucket and chunk
            for (EdgeBlockKey k : r) {
                assertEquals(b, new Bucket(k.split(), k.lhsPart(), k.rhsPart()), k.toString());
                assertEquals(CHUNK, k.chunk(), k.toString());
            }
            ranges.add(r);
        }
        for (Bucket b : BUCKETS) {
            assertEquals((long) expected.get(b).size(), fileEdges.get(b), "edges of " + b);
            assertEquals(unseen.get(b), fileUnseen.get(b), "unseen of " + b);
        }
        ranges.sort(Comparator.comparing((List<EdgeBlockKey> r) -> r.get(0)));
        for (int i = 1; i < ranges.size(); i++) {
            assertTrue(
                    ranges.get(i - 1).get(1).compareTo(ranges.get(i).get(0)) < 0,
                    "files overlap: " + ranges.get(i - 1).get(1) + " >= "
                            + ranges.get(i).get(0));
        }
        try (GraphStore store = GraphStore.create(tmp.resolve("graph"))) {
            store.ingestEdges(files.stream().map(BucketWriters.File::path).toList());
            for (Bucket b : BUCKETS) {
                assertEquals(expected.get(b), readBack(store, b, blockSize, weighted), "edges of " + b);
            }
            assertFalse(store.edges(Split.TEST, 0, 0).hasNext());
            assertFalse(store.edges(Split.VALID, 0, 0).hasNext());
        }
    }

    @Test
    void interleavedBucketsWithFewOpenFilesDoNotOverlap() throws Exception {
        // 5 buckets, 2 open at a time, random order: many evictions and reopened files.
        check(true, true, 2, 16, 20, Integer.MAX_VALUE);
    }

    @Test
    void interleavedUnweightedWithBlockSizeOne() throws Exception {
        check(true, false, 3, 1, 10, Integer.MAX_VALUE);
    }

    @Test
    void groupedInputGivesOneFilePerBucket() throws Exception {
        check(false, true, 2, 16, 5, 5);
    }

    @Test
    void reopenedFileContinuesBlockNumbers() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out2"));
        List<BucketWriters.File> files;
        try (BucketWriters w = new BucketWriters(out, 3, false, 4, 1)) {
            for (int i = 0; i < 6; i++) {
                w.add(Split.TRAIN, 0, 0, 0, i, i, 1f, false); // blocks 0 (4 edges) and 1 (2 edges)
            }
            w.add(Split.TRAIN, 1, 1, 0, 0, 0, 1f, true); // evicts bucket (0,0)
            for (int i = 6; i < 9; i++) {
                w.add(Split.TRAIN, 0, 0, 0, i, i, 1f, i == 8); // evicts (1,1); new file from block 2
            }
            files = w.finish();
        }
        assertEquals(3, files.size());
        assertEquals(
                List.of(6L, 1L, 3L),
                files.stream().map(BucketWriters.File::edges).toList());
        assertEquals(
                List.of(0L, 1L, 1L),
                files.stream().map(BucketWriters.File::unseen).toList());
        assertFalse(files.get(0).path().equals(files.get(2).path()));
        assertEquals(
                List.of(new EdgeBlockKey(Split.TRAIN, 0, 0, 3, 0), new EdgeBlockKey(Split.TRAIN, 0, 0, 3, 1)),
                EdgeBucketSstWriter.keyRange(files.get(0).path()));
        assertEquals(
                List.of(new EdgeBlockKey(Split.TRAIN, 0, 0, 3, 2), new EdgeBlockKey(Split.TRAIN, 0, 0, 3, 2)),
                EdgeBucketSstWriter.keyRange(files.get(2).path()));
        try (GraphStore store = GraphStore.create(tmp.resolve("g2"))) {
            store.ingestEdges(files.stream().map(BucketWriters.File::path).toList());
            List<Edge> got = readBack(store, new Bucket(Split.TRAIN, 0, 0), 4, false);
            assertEquals(9, got.size());
            for (int i = 0; i < 9; i++) {
                assertEquals(i, got.get(i).lhs);
            }
        }
    }

    @Test
    void noEdgesNoFiles() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out3"));
        try (BucketWriters w = new BucketWriters(out, 0, false, 8, 2)) {
            assertEquals(List.of(), w.finish());
        }
        try (var s = Files.list(out)) {
            assertEquals(0, s.count());
        }
        assertNotNull(out);
    }
}
