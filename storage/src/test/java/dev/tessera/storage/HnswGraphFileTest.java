package dev.tessera.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved search graph round-trips, is refused for other vectors, and a flipped byte or a cut is named. */
class HnswGraphFileTest {
    private static final HnswGraphFile.Identity ID = new HnswGraphFile.Identity(3, 0xfeedbeefL, 4, 8, 2, 16, 100);
    // Level 0: 0 → 1, 2; 1 → 0; 2 → 0, 3; 3 → 2. Level 1: rows 0 and 2, each the other's neighbour.
    private static final HnswGraphFile.Layers LAYERS = new HnswGraphFile.Layers(
            2, new int[][] {null, {0, 2}}, new int[][] {{0, 2, 3, 5, 6}, {0, 1, 2}}, new int[][] {
                {1, 2, 0, 0, 3, 2}, {2, 0}
            });

    @TempDir
    Path dir;

    private Path written() {
        Path file = dir.resolve("indexes").resolve("hnsw-type0.bin");
        HnswGraphFile.write(file, ID, LAYERS);
        return file;
    }

    @Test
    void layersRoundTrip() {
        Path file = written();
        assertFalse(Files.exists(file.resolveSibling("hnsw-type0.bin.tmp")));
        HnswGraphFile.Layers read = HnswGraphFile.read(file, ID);
        assertEquals(2, read.entryNode());
        assertEquals(2, read.levels());
        assertNull(read.nodes()[0]);
        assertArrayEquals(LAYERS.nodes()[1], read.nodes()[1]);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(LAYERS.starts()[l], read.starts()[l], "starts of level " + l);
            assertArrayEquals(LAYERS.neighbours()[l], read.neighbours()[l], "neighbours of level " + l);
        }
    }

    @Test
    void aGraphOfOtherVectorsOrSettingsIsNotReturned() {
        Path file = written();
        assertNull(HnswGraphFile.read(file, new HnswGraphFile.Identity(4, 0xfeedbeefL, 4, 8, 2, 16, 100)));
        assertNull(HnswGraphFile.read(file, new HnswGraphFile.Identity(3, 0xfeedbeeeL, 4, 8, 2, 16, 100)));
        assertNull(HnswGraphFile.read(file, new HnswGraphFile.Identity(3, 0xfeedbeefL, 4, 8, 2, 32, 100)));
    }

    @Test
    void everyFlippedByteOrCutFailsNamingTheFile() throws Exception {
        Path file = written();
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> HnswGraphFile.read(file, ID));
            assertTrue(e.getMessage().startsWith("file " + file + " is unreadable: "), e.getMessage());
        }
        Files.write(file, Arrays.copyOf(good, good.length - 5));
        CorruptFileException cut = assertThrows(CorruptFileException.class, () -> HnswGraphFile.read(file, ID));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
    }
}
