package dev.tessera.gcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class NormalizedAdjacencyTest {

    @Test
    void symmetricNormalisationWithOneSelfLoopPerNode() {
        // Path 0-1-2 plus an isolated node 3; the edge 0-1 is listed twice and reversed, 2-2 is a self-loop.
        CsrMatrix a = NormalizedAdjacency.of(4, new int[] {0, 1, 1, 2}, new int[] {1, 0, 2, 2});
        // Degrees in A + I: 2, 3, 2, 1.
        double s6 = 1 / Math.sqrt(6);
        float[] expected = {
            0.5f, (float) s6, 0, 0, (float) s6, 1 / 3f, (float) s6, 0, 0, (float) s6, 0.5f, 0, 0, 0, 0, 1
        };
        assertArrayEquals(expected, a.toDense(), 1e-6f);
        assertSame(a, a.transpose(), "Â is symmetric, so it serves as its own transpose");
    }
}
