package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Row sums point into the callers' arrays until a row comes again: the step must still see every row's
 * full sum, leave the callers' arrays as they were, and survive its buffers growing mid-step. Summed across
 * chunks, they must not depend on the callers' arrays at all.
 */
class RowGradientsTest {
    private static final int D = 4;
    private static final float LR = 0.1f;

    @Test
    void aRowThatComesAgainGetsOneStepOnItsSummedGradient() {
        EmbeddingPartition p = partition(10);
        EmbeddingPartition expected = partition(10);
        float[] first = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] second = {0.5f, 0.5f, 0.5f, 0.5f};
        float[] firstBefore = first.clone();
        float[] secondBefore = second.clone();

        RowGradients sums = new RowGradients(D, false);
        sums.add(p, new int[] {3, 7}, 0, first, 2);
        sums.add(p, 3, second, 0, 2f);
        assertTrue(sums.pending());
        sums.step(LR, 0);
        assertFalse(sums.pending());

        RowAdagrad.update(expected.embeddings, expected.state, 3, new float[] {2, 3, 4, 5}, 0, D, LR, 0);
        RowAdagrad.update(expected.embeddings, expected.state, 7, first, D, D, LR, 0);
        assertArrayEquals(expected.embeddings, p.embeddings, 1e-7f);
        assertArrayEquals(expected.state, p.state, 1e-7f);
        assertArrayEquals(firstBefore, first, "the caller's gradients are read, never written");
        assertArrayEquals(secondBefore, second);
    }

    @Test
    void sumsSurviveTheBufferGrowingWhileRowsRepeat() {
        int rows = 3000;
        EmbeddingPartition p = partition(rows);
        EmbeddingPartition expected = partition(rows);
        SplittableRandom random = new SplittableRandom(5);
        float[] g = new float[rows * D];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) random.nextDouble(-1, 1);
        }
        int[] ascending = new int[rows];
        for (int r = 0; r < rows; r++) {
            ascending[r] = r;
        }
        RowGradients sums = new RowGradients(D, false);
        // Row 0 repeats before the buffers grow past their first 1,024 slots, so its sum lives in the
        // buffer that growing replaces; the scaled rows are copies from the start.
        sums.add(p, new int[] {0}, 0, g, 1);
        sums.add(p, 0, g, D, 1f);
        sums.add(p, ascending, 0, g, rows);
        sums.add(p, 2999, g, 0, 0.5f);
        sums.step(LR, 0);

        float[] sum = new float[rows * D];
        for (int k = 0; k < D; k++) {
            sum[k] = 2 * g[k] + g[D + k];
            sum[2999 * D + k] = g[2999 * D + k] + 0.5f * g[k];
        }
        for (int r = 1; r < 2999; r++) {
            System.arraycopy(g, r * D, sum, r * D, D);
        }
        for (int r = 0; r < rows; r++) {
            RowAdagrad.update(expected.embeddings, expected.state, r, sum, r * D, D, LR, 0);
        }
        assertArrayEquals(expected.embeddings, p.embeddings, 1e-6f);
        assertArrayEquals(expected.state, p.state, 1e-6f);
    }

    @Test
    void summedAcrossChunksEveryRowIsCopiedBeforeTheNextChunkReusesItsScratch() {
        EmbeddingPartition p = partition(10);
        EmbeddingPartition expected = partition(10);
        float[] scratch = {1, 2, 3, 4, 5, 6, 7, 8};
        RowGradients sums = new RowGradients(D, true);
        sums.add(p, new int[] {3, 7}, 0, scratch, 2);
        // The next chunk overwrites the scratch and adds row 3 again and row 5 for the first time.
        float[] next = {-1, 1, -1, 1, 2, 2, 2, 2};
        System.arraycopy(next, 0, scratch, 0, next.length);
        sums.add(p, new int[] {3, 5}, 0, scratch, 2);
        Arrays.fill(scratch, 100f);
        sums.step(LR, 0);

        RowAdagrad.update(expected.embeddings, expected.state, 3, new float[] {0, 3, 2, 5}, 0, D, LR, 0);
        RowAdagrad.update(expected.embeddings, expected.state, 5, next, D, D, LR, 0);
        RowAdagrad.update(expected.embeddings, expected.state, 7, new float[] {5, 6, 7, 8}, 0, D, LR, 0);
        assertArrayEquals(expected.embeddings, p.embeddings, 1e-7f);
        assertArrayEquals(expected.state, p.state, 1e-7f);
    }

    @Test
    void frozenRowsKeepTheirValues() {
        EmbeddingPartition p = partition(4);
        p.frozenRows = 2;
        float[] before = p.embeddings.clone();
        RowGradients sums = new RowGradients(D, false);
        sums.add(p, new int[] {0, 1, 2}, 1, new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 2);
        sums.step(LR, 0);
        for (int k = 0; k < D; k++) {
            assertEquals(before[D + k], p.embeddings[D + k]);
            assertTrue(p.embeddings[2 * D + k] < before[2 * D + k]);
        }
    }

    private static EmbeddingPartition partition(int rows) {
        EmbeddingPartition p = new EmbeddingPartition(0, 0, rows, D);
        p.initialize(0.5, 11);
        return p;
    }
}
