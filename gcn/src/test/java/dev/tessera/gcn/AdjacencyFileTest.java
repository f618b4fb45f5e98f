package dev.tessera.gcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.CorruptFileException;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdjacencyFileTest {
    @TempDir
    Path dir;

    @Test
    void neighbourListsRoundTripThroughTheFile() throws Exception {
        Random r = new Random(4);
        int n = 300;
        int[] src = new int[2000];
        int[] dst = new int[2000];
        for (int i = 0; i < src.length; i++) {
            src[i] = r.nextInt(n);
            dst[i] = r.nextInt(n);
        }
        SymmetricAdjacency a = SymmetricAdjacency.of(n, src, dst, false);
        Path file = dir.resolve("adjacency.bin");
        AdjacencyFile.write(file, a);
        try (AdjacencyFile f = AdjacencyFile.open(file)) {
            assertEquals(n, f.nodes());
            for (int v = 0; v < n; v++) {
                assertEquals(a.degree(v), f.degree(v));
                int[] got = new int[a.degree(v)];
                f.neighbours(v, 0, got.length, got);
                assertArrayEquals(
                        java.util.Arrays.copyOfRange(a.neighbours(), a.rowStart()[v], a.rowStart()[v + 1]), got);
                for (int u : got) {
                    assertTrue(u != v, "no self-loops");
                }
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> AdjacencyFile.open(file));
        assertTrue(e.getMessage().contains(file + " is unreadable: truncated"), e.getMessage());
    }

    /** A graph of 4 nodes, one type in one partition, with training edges 0-1, 0-2 and 2-3. */
    private GraphStore graph() {
        TesseraConfig schema = ConfigLoader.parse(
                "entities: {node: {num_partitions: 1}}\nrelations: [{name: link, lhs: node, rhs: node}]\n", "test");
        GraphStore store = GraphStore.create(dir.resolve("graph"));
        store.putEdgeBlocks(
                Split.TRAIN,
                0,
                0,
                0,
                List.of(new EdgeBlock(new int[3], new int[] {0, 0, 2}, new int[] {1, 2, 3}, null)));
        Map<Split, long[][]> edges = new EnumMap<>(Split.class);
        edges.put(Split.TRAIN, new long[][] {{3}});
        store.writeMeta(new GraphMeta(schema, 1, Map.of("node", new long[] {4}), edges, Map.of()));
        return store;
    }

    @Test
    void aFileOfTheLayoutBeforeChecksumsIsRebuiltFromTheGraph() throws Exception {
        try (GraphStore store = graph()) {
            NodeIndex index = NodeIndex.of(store.meta());
            Path file = store.dir().resolve("gcn").resolve("adjacency.bin");
            Files.createDirectories(file.getParent());
            // The old layout's header ("TSAJ", version 1, 4 nodes, 0 entries) and empty lists: read as they
            // stand they would say no node has a neighbour.
            ByteBuffer old = ByteBuffer.allocate(20 + 8 * 5).order(ByteOrder.LITTLE_ENDIAN);
            old.putInt(0x4a415354).putInt(1).putInt(4).putLong(0);
            Files.write(file, old.array());
            try (AdjacencyFile f = AdjacencyFile.openOrBuild(store, index)) {
                assertEquals(4, f.nodes());
                assertEquals(2, f.degree(0));
                assertEquals(2, f.degree(2));
            }
            // Rebuilt in the current layout: opens as it is; a corrupted one is an error naming it.
            try (AdjacencyFile f = AdjacencyFile.open(file)) {
                assertEquals(1, f.degree(3));
            }
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 8] ^= 1;
            Files.write(file, bytes);
            CorruptFileException e =
                    assertThrows(CorruptFileException.class, () -> AdjacencyFile.openOrBuild(store, index));
            assertTrue(e.getMessage().contains(file + " is unreadable: checksum mismatch"), e.getMessage());
        }
    }
}
