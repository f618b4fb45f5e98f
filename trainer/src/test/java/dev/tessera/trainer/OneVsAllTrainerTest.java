package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.model.backend.JavaBackend;
import dev.tessera.model.backend.OpenBlasBackend;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 1-vs-all training computes what an all_negs chunk of the same positives computes (the same loss over every
 * entity, one step on the summed gradients), however its batch is cut into blocks; with dropout, heads and tails
 * in different partitions, its first step still follows the finite-difference gradient of the loss it reports.
 */
class OneVsAllTrainerTest {
    static final int ROWS = 12;
    static final int D = 6;
    private static final int N = 5;
    private static final int[] REL = {1, 0, 0, 1, 0};
    private static final int[] LHS = {0, 1, 2, 0, 4};
    private static final int[] RHS = {3, 4, 5, 6, 7};

    @ParameterizedTest
    @CsvSource({
        "complex_diagonal, dot, softmax, false, 5",
        "complex_diagonal, dot, softmax, false, 2",
        "translation, l2, ranking, false, 2",
        "affine, cos, logistic, true, 3",
        "diagonal, squared_l2, softmax, true, 1",
        "none, dot, logistic, false, 5",
        "rotate, l2, self_adversarial, false, 2"
    })
    void stepsAsAnAllNegativesChunkOfTheSamePositives(
            String operator, String comparator, String loss, boolean bias, int blockRows) {
        TesseraConfig chunked = config(operator, comparator, loss, bias, "chunked", 0);
        TesseraConfig oneVsAll = config(operator, comparator, loss, bias, "1_vs_all", 0);
        ModelParameters start = randomParameters(chunked, 11);
        EmbeddingPartition rows = partition(5);
        for (DenseBackend backend : new DenseBackend[] {new JavaBackend(), new OpenBlasBackend()}) {
            String what = backend.getClass().getSimpleName() + " " + operator + "/" + comparator + "/" + loss + " bias="
                    + bias + " block=" + blockRows;
            EmbeddingPartition viaChunk = ModelCopies.partition(rows);
            ModelParameters chunkParams = withSettledOptimizer(ModelCopies.parameters(chunked, start, D));
            ChunkTrainer chunk = ChunkTrainer.allNegatives(TrainingSettings.of(chunked), backend, chunkParams, ROWS);
            double chunkLoss = chunk.train(REL, LHS, RHS, null, 0, N, viaChunk, viaChunk, new SplittableRandom(1));
            chunk.step();

            EmbeddingPartition viaBatch = ModelCopies.partition(rows);
            ModelParameters batchParams = withSettledOptimizer(ModelCopies.parameters(chunked, start, D));
            double batchLoss = new OneVsAllTrainer(TrainingSettings.of(oneVsAll), backend, batchParams, ROWS, blockRows)
                    .train(REL, LHS, RHS, null, 0, N, viaBatch, viaBatch, new SplittableRandom(1));

            assertEquals(chunkLoss, batchLoss, 1e-4 * Math.abs(chunkLoss), what);
            assertClose(viaChunk.embeddings, viaBatch.embeddings, what + " embeddings");
            float[][] a = ModelCopies.parameterVectors(chunkParams);
            float[][] b = ModelCopies.parameterVectors(batchParams);
            for (int v = 0; v < a.length; v++) {
                assertClose(a[v], b[v], what + " parameter vector " + v);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "complex_diagonal, dot, softmax, 0.3",
        "affine, cos, logistic, 0.5",
        "translation, l2, ranking, 0",
        "rotate, l2, softmax, 0.2"
    })
    void firstStepFollowsTheFiniteDifferenceGradientAcrossTwoPartitions(
            String operator, String comparator, String loss, double dropout) {
        TesseraConfig config = config(operator, comparator, loss, false, "1_vs_all", dropout);
        TrainingSettings settings = TrainingSettings.of(config);
        ModelParameters params = randomParameters(config, 7);
        EmbeddingPartition heads = partition(3);
        EmbeddingPartition tails = partition(4);
        float[][] gradient = new float[2][ROWS * D];
        double eps = 1e-3;
        for (int side = 0; side < 2; side++) {
            for (int i = 0; i < ROWS * D; i++) {
                EmbeddingPartition[] plus = {ModelCopies.partition(heads), ModelCopies.partition(tails)};
                EmbeddingPartition[] minus = {ModelCopies.partition(heads), ModelCopies.partition(tails)};
                plus[side].embeddings[i] += (float) eps;
                minus[side].embeddings[i] -= (float) eps;
                gradient[side][i] =
                        (float) ((lossOf(settings, config, params, plus) - lossOf(settings, config, params, minus))
                                / (2 * eps));
            }
        }
        EmbeddingPartition[] stepped = {ModelCopies.partition(heads), ModelCopies.partition(tails)};
        new OneVsAllTrainer(settings, new OpenBlasBackend(), ModelCopies.parameters(config, params, D), ROWS, 2)
                .train(REL, LHS, RHS, null, 0, N, stepped[0], stepped[1], new SplittableRandom(1));
        EmbeddingPartition[] start = {heads, tails};
        for (int side = 0; side < 2; side++) {
            for (int row = 0; row < ROWS; row++) {
                double dot = 0;
                double stepNorm = 0;
                double gradNorm = 0;
                for (int k = 0; k < D; k++) {
                    double step = stepped[side].embeddings[row * D + k] - start[side].embeddings[row * D + k];
                    double g = gradient[side][row * D + k];
                    dot += -step * g;
                    stepNorm += step * step;
                    gradNorm += g * g;
                }
                // Every row of both partitions is a candidate of its side.
                assertTrue(gradNorm > 1e-12, "side " + side + " row " + row + " has no gradient");
                double cosine = dot / Math.sqrt(stepNorm * gradNorm);
                assertTrue(cosine > 0.999, "side " + side + " row " + row + ": cosine " + cosine);
            }
        }
    }

    @Test
    void eachBatchStartsFromClearedSums() {
        // One trainer over two batches steps as two fresh trainers do: the first batch's sums are gone.
        TesseraConfig config = config("complex_diagonal", "dot", "softmax", false, "1_vs_all", 0);
        TrainingSettings settings = TrainingSettings.of(config);
        ModelParameters start = randomParameters(config, 3);
        EmbeddingPartition reused = partition(8);
        EmbeddingPartition fresh = ModelCopies.partition(reused);
        ModelParameters reusedParams = ModelCopies.parameters(config, start, D);
        ModelParameters freshParams = ModelCopies.parameters(config, start, D);
        OneVsAllTrainer trainer = new OneVsAllTrainer(settings, new JavaBackend(), reusedParams, ROWS, 2);
        for (int batch = 0; batch < 2; batch++) {
            trainer.train(REL, LHS, RHS, null, 0, N, reused, reused, new SplittableRandom(1));
            new OneVsAllTrainer(settings, new JavaBackend(), freshParams, ROWS, 2)
                    .train(REL, LHS, RHS, null, 0, N, fresh, fresh, new SplittableRandom(1));
        }
        assertClose(fresh.embeddings, reused.embeddings, "embeddings after two batches");
    }

    @Test
    void refusesConfigsItCannotTrain() {
        String base = "entities: {e: {num_partitions: 1}}\nrelations: [{name: r, lhs: e, rhs: e}]\n";
        IllegalArgumentException noReciprocal = assertThrows(
                IllegalArgumentException.class,
                () -> TrainingSettings.of(ConfigLoader.parse(base + "training_mode: 1_vs_all\n", "a.yaml")));
        assertTrue(noReciprocal.getMessage().contains("dynamic_relations"), noReciprocal.getMessage());
        IllegalArgumentException dropout = assertThrows(
                IllegalArgumentException.class,
                () -> TrainingSettings.of(ConfigLoader.parse(base + "dropout: 0.2\n", "b.yaml")));
        assertTrue(dropout.getMessage().contains("1_vs_all"), dropout.getMessage());
    }

    private static double lossOf(
            TrainingSettings settings, TesseraConfig config, ModelParameters params, EmbeddingPartition[] parts) {
        return new OneVsAllTrainer(settings, new JavaBackend(), ModelCopies.parameters(config, params, D), ROWS, 2)
                .train(
                        REL,
                        LHS,
                        RHS,
                        null,
                        0,
                        N,
                        ModelCopies.partition(parts[0]),
                        ModelCopies.partition(parts[1]),
                        new SplittableRandom(1));
    }

    static TesseraConfig config(
            String operator, String comparator, String loss, boolean bias, String mode, double dropout) {
        String relation = "{lhs: e, rhs: e, operator: " + operator + ", all_negs: " + mode.equals("chunked") + "}";
        return ConfigLoader.parse(
                "entities: {e: {num_partitions: 1}}\n"
                        + "relations: [" + relation.replace("{", "{name: r, ") + ", "
                        + relation.replace("{", "{name: s, ")
                        + "]\ndimension: " + D + "\ncomparator: " + comparator + "\nloss_fn: " + loss
                        + "\nmargin: 3.0\nnum_batch_negs: " + N + "\nnum_uniform_negs: 0\nbatch_size: " + N
                        + "\nlr: 0.001\nregularization_coef: 0.01\ndynamic_relations: true\nbias: " + bias
                        + "\ntraining_mode: " + mode + "\ndropout: " + dropout + "\nworkers: 1\n",
                "test.yaml");
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-5 + 1e-4 * Math.abs(expected[k]), what + " element " + k);
        }
    }

    static EmbeddingPartition partition(long seed) {
        EmbeddingPartition p = new EmbeddingPartition(0, 0, ROWS, D);
        p.initialize(0.7, seed);
        return p;
    }

    /**
     * Parameters whose element-wise Adagrad has seen squared gradients summing to 1 already. From a fresh state
     * a parameter's first step is ±lr whatever its gradient's size, so a coordinate whose gradient is zero but
     * for rounding (a bias coordinate under softmax, where every score moves together) would step by ±lr in a
     * direction the two paths' rounding picks; here it steps by its (rounding-sized) gradient.
     */
    private static ModelParameters withSettledOptimizer(ModelParameters params) {
        Stream.of(params.relationState, params.reciprocalState, params.globalState)
                .filter(Objects::nonNull)
                .flatMap(Arrays::stream)
                .filter(Objects::nonNull)
                .forEach(state -> Arrays.fill(state, 1f));
        return params;
    }

    static ModelParameters randomParameters(TesseraConfig config, long seed) {
        ModelParameters params = new ModelParameters(config, D);
        SplittableRandom init = new SplittableRandom(seed);
        for (float[] p : ModelCopies.parameterVectors(params)) {
            for (int k = 0; k < p.length; k++) {
                p[k] += (float) (init.nextDouble() - 0.5);
            }
        }
        return params;
    }
}
