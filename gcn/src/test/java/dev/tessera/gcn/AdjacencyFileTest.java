package dev.tessera.gcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdjacencyFile.open(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
