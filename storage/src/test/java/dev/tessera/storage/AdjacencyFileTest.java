package dev.tessera.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adjacency file's envelope: lists round-trip, and a flipped byte, a cut or an old layout is named. */
class AdjacencyFileTest {
    // Node 0: 1, 2; node 1: 0; node 2: 0; node 3: none.
    private static final int[] ROW_START = {0, 2, 3, 4, 4};
    private static final int[] NEIGHBOURS = {1, 2, 0, 0};

    @TempDir
    Path dir;

    private Path written() {
        Path file = dir.resolve("gcn").resolve("adjacency.bin");
        AdjacencyFileWriter.write(file, 4, ROW_START, NEIGHBOURS);
        return file;
    }

    @Test
    void neighbourListsRoundTrip() throws Exception {
        Path file = written();
        assertEquals(4 + 1 + 2 + 8 + 4 + 8 + 8 * 5 + 4 * 4 + 4, Files.size(file));
        assertFalse(Files.exists(file.resolveSibling("adjacency.bin.tmp")));
        assertFalse(AdjacencyFileReader.hasPreviousLayout(file));
        try (AdjacencyFileReader r = AdjacencyFileReader.open(file)) {
            assertEquals(4, r.nodes());
            assertEquals(4, r.entries());
            for (int v = 0; v < 4; v++) {
                int[] got = new int[r.degree(v)];
                r.neighbours(v, 0, got.length, got);
                assertArrayEquals(Arrays.copyOfRange(NEIGHBOURS, ROW_START[v], ROW_START[v + 1]), got, "node " + v);
            }
            int[] second = new int[1];
            r.neighbours(0, 1, 1, second);
            assertEquals(2, second[0]);
        }
    }

    @Test
    void everyFlippedByteFailsNamingTheFile() throws Exception {
        Path file = written();
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            CorruptFileException e =
                    assertThrows(CorruptFileException.class, () -> AdjacencyFileReader.open(file), "byte " + i);
            assertTrue(e.getMessage().startsWith("file " + file + " is unreadable: "), e.getMessage());
        }
        // A byte of the neighbours: only the checksum can tell.
        byte[] bad = good.clone();
        bad[good.length - 6] ^= 1;
        Files.write(file, bad);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> AdjacencyFileReader.open(file));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void aTruncatedFileFailsNamingTheFile() throws Exception {
        Path file = written();
        byte[] good = Files.readAllBytes(file);
        for (int keep : new int[] {good.length - 1, good.length - 4, 30, 10, 0}) {
            Files.write(file, Arrays.copyOf(good, keep));
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> AdjacencyFileReader.open(file));
            assertTrue(
                    e.getMessage().startsWith("file " + file + " is unreadable: truncated"),
                    keep + " bytes: " + e.getMessage());
        }
    }

    @Test
    void theLayoutOfBeforeChecksumsIsRecognisedNotRead() throws Exception {
        // "TSAJ" | version 1 | nodes | entries | rowStart longs | neighbours ints, as the gcn module wrote it.
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4 + 8 + 8 * 5 + 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(AdjacencyFileReader.PREVIOUS_MAGIC).putInt(1).putInt(4).putLong(4);
        for (int s : ROW_START) {
            b.putLong(s);
        }
        for (int n : NEIGHBOURS) {
            b.putInt(n);
        }
        Path file = dir.resolve("old.bin");
        Files.write(file, b.array());
        assertTrue(AdjacencyFileReader.hasPreviousLayout(file));
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> AdjacencyFileReader.open(file));
        assertEquals(
                "file " + file + " is unreadable: written in the layout before checksums; delete it to rebuild it",
                e.getMessage());
    }
}
