package dev.tessera.serving.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph saved beside a checkpoint answers exactly as the one built; it is rebuilt for other vectors, another
 * checkpoint version or a damaged file.
 */
class HnswIndexFilesTest {
    private static final int N = 3_000;
    private static final int D = 16;

    @TempDir
    Path checkpoint;

    @Test
    void aSavedGraphIsReadBackAndAnswersAsTheBuiltOne() {
        float[] x = GaussianMixture.sample(new Random(5), N, D, 20, 0.5);
        HnswIndexFiles.Opened built = HnswIndexFiles.openOrBuild(checkpoint, 7, 0, x, N, D, Metric.COSINE, 2);
        assertEquals(HnswIndexFiles.Source.BUILT, built.source());
        assertTrue(Files.isRegularFile(HnswIndexFiles.file(checkpoint, 0)));
        HnswIndexFiles.Opened loaded = HnswIndexFiles.openOrBuild(checkpoint, 7, 0, x, N, D, Metric.COSINE, 2);
        assertEquals(HnswIndexFiles.Source.LOADED, loaded.source());
        float[] q = java.util.Arrays.copyOf(x, 50 * D);
        int[] self = new int[50];
        for (int i = 0; i < 50; i++) {
            self[i] = i;
        }
        Neighbours a = built.index().search(q, 50, 10, self);
        Neighbours b = loaded.index().search(q, 50, 10, self);
        assertArrayEquals(a.rows(), b.rows());
        assertArrayEquals(a.scores(), b.scores());
    }

    @Test
    void otherVectorsAnotherVersionOrADamagedFileBuildAgain() throws Exception {
        float[] x = GaussianMixture.sample(new Random(6), N, D, 20, 0.5);
        HnswIndexFiles.openOrBuild(checkpoint, 1, 2, x, N, D, Metric.L2, 1);
        x[123] += 1e-3f; // a fold-in update or another epoch changes rows in place
        assertEquals(
                HnswIndexFiles.Source.BUILT,
                HnswIndexFiles.openOrBuild(checkpoint, 1, 2, x, N, D, Metric.L2, 1)
                        .source());
        assertEquals(
                HnswIndexFiles.Source.LOADED,
                HnswIndexFiles.openOrBuild(checkpoint, 1, 2, x, N, D, Metric.L2, 1)
                        .source());
        assertEquals(
                HnswIndexFiles.Source.BUILT,
                HnswIndexFiles.openOrBuild(checkpoint, 2, 2, x, N, D, Metric.L2, 1)
                        .source());
        Path file = HnswIndexFiles.file(checkpoint, 2);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        assertEquals(
                HnswIndexFiles.Source.BUILT,
                HnswIndexFiles.openOrBuild(checkpoint, 2, 2, x, N, D, Metric.L2, 1)
                        .source());
        assertEquals(
                HnswIndexFiles.Source.LOADED,
                HnswIndexFiles.openOrBuild(checkpoint, 2, 2, x, N, D, Metric.L2, 1)
                        .source());
    }
}
