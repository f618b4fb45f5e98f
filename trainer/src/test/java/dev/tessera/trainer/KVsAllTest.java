package dev.tessera.trainer;

import static dev.tessera.trainer.OneVsAllTrainerTest.D;
import static dev.tessera.trainer.OneVsAllTrainerTest.ROWS;
import static dev.tessera.trainer.OneVsAllTrainerTest.assertClose;
import static dev.tessera.trainer.OneVsAllTrainerTest.config;
import static dev.tessera.trainer.OneVsAllTrainerTest.partition;
import static dev.tessera.trainer.OneVsAllTrainerTest.randomParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.OpenBlasBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code k_vs_all}: a side's positives that share a query, scored from one row, compute what they compute one
 * row each (the same loss terms, N3 counted per positive, one step on the summed gradients), and the step follows
 * the finite-difference gradient of the loss it reports.
 */
class KVsAllTest {
    // Head-side queries (relation, tail): (0, 5) three times, (1, 6) twice, (0, 7) once, (1, 8) once.
    private static final int[] REL = {0, 0, 0, 1, 1, 0, 1};
    private static final int[] LHS = {0, 1, 2, 0, 3, 4, 9};
    private static final int[] RHS = {5, 5, 5, 6, 6, 7, 8};
    /** The same edges with no two neighbours sharing a query: every edge its own query. */
    private static final int[] SCATTERED = {0, 3, 1, 5, 2, 4, 6};

    private static final float[] WEIGHT = {1f, 0.5f, 2f, 1f, 1.5f, 1f, 0.25f};

    @ParameterizedTest
    @CsvSource({
        "complex_diagonal, dot, softmax, false, 7",
        "complex_diagonal, dot, softmax, false, 2",
        "translation, l2, ranking, false, 1",
        "affine, cos, logistic, true, 3",
        "rotate, l2, self_adversarial, false, 2"
    })
    void sharedQueriesComputeWhatOneRowPerPositiveComputes(
            String operator, String comparator, String loss, boolean bias, int blockRows) {
        TesseraConfig config = config(operator, comparator, loss, bias, "k_vs_all", 0);
        TrainingSettings settings = TrainingSettings.of(config);
        ModelParameters start = randomParameters(config, 5);
        EmbeddingPartition rows = partition(2);
        String what = operator + "/" + comparator + "/" + loss + " block=" + blockRows;

        EmbeddingPartition grouped = ModelCopies.partition(rows);
        ModelParameters groupedParams = ModelCopies.parameters(config, start, D);
        double groupedLoss = new OneVsAllTrainer(settings, new OpenBlasBackend(), groupedParams, ROWS, blockRows)
                .trainSide(true, REL, LHS, RHS, WEIGHT, 0, REL.length, grouped, grouped, new SplittableRandom(1));

        EmbeddingPartition single = ModelCopies.partition(rows);
        ModelParameters singleParams = ModelCopies.parameters(config, start, D);
        double singleLoss = new OneVsAllTrainer(settings, new OpenBlasBackend(), singleParams, ROWS, blockRows)
                .trainSide(
                        true,
                        permuted(REL),
                        permuted(LHS),
                        permuted(RHS),
                        permuted(WEIGHT),
                        0,
                        REL.length,
                        single,
                        single,
                        new SplittableRandom(1));

        assertEquals(singleLoss, groupedLoss, 1e-4 * Math.abs(singleLoss), what);
        assertClose(single.embeddings, grouped.embeddings, what + " embeddings");
        float[][] a = ModelCopies.parameterVectors(singleParams);
        float[][] b = ModelCopies.parameterVectors(groupedParams);
        for (int v = 0; v < a.length; v++) {
            assertClose(a[v], b[v], what + " parameter vector " + v);
        }
    }

    @ParameterizedTest
    @CsvSource({"complex_diagonal, dot, softmax", "rotate, l2, softmax", "affine, cos, logistic"})
    void aSharedQueryStepsAlongTheGradientOfItsLoss(String operator, String comparator, String loss) {
        TesseraConfig config = config(operator, comparator, loss, false, "k_vs_all", 0);
        TrainingSettings settings = TrainingSettings.of(config);
        ModelParameters params = randomParameters(config, 7);
        EmbeddingPartition rows = partition(3);
        float[] gradient = new float[ROWS * D];
        double eps = 1e-3;
        for (int i = 0; i < ROWS * D; i++) {
            EmbeddingPartition plus = ModelCopies.partition(rows);
            EmbeddingPartition minus = ModelCopies.partition(rows);
            plus.embeddings[i] += (float) eps;
            minus.embeddings[i] -= (float) eps;
            gradient[i] = (float)
                    ((headSideLoss(settings, config, params, plus) - headSideLoss(settings, config, params, minus))
                            / (2 * eps));
        }
        EmbeddingPartition stepped = ModelCopies.partition(rows);
        new OneVsAllTrainer(settings, new OpenBlasBackend(), ModelCopies.parameters(config, params, D), ROWS, 2)
                .trainSide(true, REL, LHS, RHS, WEIGHT, 0, REL.length, stepped, stepped, new SplittableRandom(1));
        for (int row = 0; row < ROWS; row++) {
            double dot = 0;
            double stepNorm = 0;
            double gradNorm = 0;
            for (int k = 0; k < D; k++) {
                double step = stepped.embeddings[row * D + k] - rows.embeddings[row * D + k];
                double g = gradient[row * D + k];
                dot += -step * g;
                stepNorm += step * step;
                gradNorm += g * g;
            }
            assertTrue(gradNorm > 1e-12, "row " + row + " has no gradient");
            double cosine = dot / Math.sqrt(stepNorm * gradNorm);
            assertTrue(cosine > 0.999, operator + " row " + row + ": cosine " + cosine);
        }
    }

    private static double headSideLoss(
            TrainingSettings settings, TesseraConfig config, ModelParameters params, EmbeddingPartition rows) {
        return new OneVsAllTrainer(settings, new OpenBlasBackend(), ModelCopies.parameters(config, params, D), ROWS, 2)
                .trainSide(
                        true,
                        REL,
                        LHS,
                        RHS,
                        WEIGHT,
                        0,
                        REL.length,
                        ModelCopies.partition(rows),
                        ModelCopies.partition(rows),
                        new SplittableRandom(1));
    }

    private static int[] permuted(int[] column) {
        int[] out = new int[column.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = column[SCATTERED[i]];
        }
        return out;
    }

    private static float[] permuted(float[] column) {
        float[] out = new float[column.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = column[SCATTERED[i]];
        }
        return out;
    }
}
