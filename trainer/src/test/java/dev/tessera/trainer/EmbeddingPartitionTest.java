package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EmbeddingPartitionTest {
    @Test
    void initialRowsAreGaussianOfTheScaleAndRepeatForASeed() {
        EmbeddingPartition p = new EmbeddingPartition(0, 3, 5_001, 7);
        p.initialize(0.25, 42);
        double sum = 0;
        double squares = 0;
        double fourth = 0;
        int withinOneSigma = 0;
        for (float x : p.embeddings) {
            sum += x;
            squares += x * x;
            fourth += Math.pow(x, 4);
            withinOneSigma += Math.abs(x) < 0.25 ? 1 : 0;
        }
        int n = p.embeddings.length;
        double variance = squares / n;
        assertEquals(0, sum / n, 0.005);
        assertEquals(0.25, Math.sqrt(variance), 0.003);
        assertEquals(3, fourth / n / (variance * variance), 0.1, "a normal's kurtosis");
        assertEquals(0.6827, (double) withinOneSigma / n, 0.01);

        EmbeddingPartition again = new EmbeddingPartition(0, 3, 5_001, 7);
        again.initialize(0.25, 42);
        assertArrayEquals(p.embeddings, again.embeddings);
        EmbeddingPartition otherPart = new EmbeddingPartition(0, 4, 5_001, 7);
        otherPart.initialize(0.25, 42);
        assertFalse(Arrays.equals(p.embeddings, otherPart.embeddings));
    }
}
