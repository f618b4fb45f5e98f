package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.JavaBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Featurized entities: an entity's row is the weighted mean of its features' rows, and the chunk step moves
 * each feature row along the finite-difference gradient of the chunk's loss with respect to that row (the
 * first row-wise Adagrad step is {@code -lr·√d·g/|g|}). Features are shared between entities, between both
 * sides and between a positive and the candidates, so every path of the gradient is summed into one row.
 */
class FeaturizedGradientTest {
    private static final int ROWS = 12;
    private static final int FEATURES = 8;
    private static final int D = 6;
    private static final int N = 5;
    private static final int[][] OF = {
        {0}, {0, 1}, {1, 2, 3}, {4}, {4, 5}, {2, 6}, {7}, {3, 7}, {5}, {6, 0}, {1}, {2, 5}
    };
    private static final float[][] WEIGHTS = {
        {1},
        {0.25f, 0.75f},
        {0.2f, 0.3f, 0.5f},
        {1},
        {0.5f, 0.5f},
        {0.6f, 0.4f},
        {1},
        {0.1f, 0.9f},
        {1},
        {0.5f, 0.5f},
        {1},
        {0.3f, 0.7f}
    };

    @Test
    void anEntityIsTheWeightedMeanOfItsFeatures() {
        EmbeddingPartition table = new EmbeddingPartition(0, FeatureTables.CHECKPOINT_PART, FEATURES, 2);
        for (int i = 0; i < FEATURES * 2; i++) {
            table.embeddings[i] = i;
        }
        float[] out = new float[2];
        FeaturizedRows.of(OF, WEIGHTS).embed(table.embeddings, 2, 2, out, 0);
        // 0.2·(2,3) + 0.3·(4,5) + 0.5·(6,7)
        assertArrayEquals(new float[] {4.6f, 5.6f}, out, 1e-5f);
    }

    @ParameterizedTest
    @CsvSource({
        "complex_diagonal, dot, softmax, false",
        "translation, l2, ranking, true",
        "affine, cos, logistic, false"
    })
    void firstStepFollowsTheFiniteDifferenceGradientOfTheFeatureRows(
            String operator, String comparator, String loss, boolean dynamic) {
        TesseraConfig config = ConfigLoader.parse(
                "entities: {e: {num_partitions: 1, featurized: true}}\n"
                        + "relations: [{name: r, lhs: e, rhs: e, operator: " + operator + "}]\n"
                        + "dimension: " + D + "\ncomparator: " + comparator + "\nloss_fn: " + loss + "\nmargin: 3.0\n"
                        + "num_batch_negs: " + N + "\nnum_uniform_negs: 0\nlr: 0.001\nregularization_coef: 0.01\n"
                        + "dynamic_relations: " + dynamic + "\nworkers: 1\n",
                "test.yaml");
        TrainingSettings settings = TrainingSettings.of(config);
        ModelParameters params = new ModelParameters(config, D);
        SplittableRandom init = new SplittableRandom(11);
        for (int k = 0; k < params.relation[0].length; k++) {
            params.relation[0][k] += (float) (init.nextDouble() - 0.5);
        }
        EmbeddingPartition start = new EmbeddingPartition(0, FeatureTables.CHECKPOINT_PART, FEATURES, D);
        start.initialize(0.7, 5);
        int[] lhs = {0, 1, 2, 0, 4};
        int[] rhs = {3, 4, 5, 6, 7};

        // The loss is summed in floats and a feature reaches it scaled by its weights: 1e-3 leaves rounding
        // noise of a few per cent on the smallest rows' differences, 1e-2 none.
        double eps = 1e-2;
        double[] gradient = new double[FEATURES * D];
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = (lossWith(settings, params, start, lhs, rhs, i, eps)
                            - lossWith(settings, params, start, lhs, rhs, i, -eps))
                    / (2 * eps);
        }
        // Stepping also moves the relation's parameters: the finite differences above were taken before.
        EmbeddingPartition stepped = copy(start);
        ChunkTrainer trainer = new ChunkTrainer(settings, new JavaBackend(), params);
        EmbeddingPartition entities = featurized(stepped);
        trainer.train(new int[N], lhs, rhs, null, 0, N, entities, entities, new SplittableRandom(1));
        trainer.step();
        int moved = 0;
        for (int row = 0; row < FEATURES; row++) {
            double dot = 0;
            double stepNorm = 0;
            double gradNorm = 0;
            for (int k = 0; k < D; k++) {
                int i = row * D + k;
                double g = gradient[i];
                double step = stepped.embeddings[i] - start.embeddings[i];
                dot += -step * g;
                stepNorm += step * step;
                gradNorm += g * g;
            }
            double cosine = dot / Math.sqrt(stepNorm * gradNorm + 1e-30);
            moved += gradNorm > 1e-12 ? 1 : 0;
            assertTrue(
                    gradNorm < 1e-12 || cosine > 0.999,
                    operator + "/" + comparator + "/" + loss + " feature row " + row
                            + ": step and finite-difference gradient have cosine " + cosine);
        }
        assertTrue(moved == FEATURES, "every feature belongs to an entity of the chunk; rows moved: " + moved);
    }

    private static double lossWith(
            TrainingSettings settings,
            ModelParameters params,
            EmbeddingPartition start,
            int[] lhs,
            int[] rhs,
            int coordinate,
            double eps) {
        EmbeddingPartition table = copy(start);
        table.embeddings[coordinate] += (float) eps;
        EmbeddingPartition entities = featurized(table);
        return new ChunkTrainer(settings, new JavaBackend(), params)
                .train(new int[N], lhs, rhs, null, 0, N, entities, entities, new SplittableRandom(1));
    }

    private static EmbeddingPartition featurized(EmbeddingPartition table) {
        return EmbeddingPartition.featurized(0, 0, ROWS, FeaturizedRows.of(OF, WEIGHTS), table);
    }

    private static EmbeddingPartition copy(EmbeddingPartition p) {
        EmbeddingPartition c = new EmbeddingPartition(p.type, p.part, p.rows, p.d);
        System.arraycopy(p.embeddings, 0, c.embeddings, 0, p.embeddings.length);
        return c;
    }
}
