package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.model.backend.JavaBackend;
import dev.tessera.model.backend.OpenBlasBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole chunk step, wired together: its first row-wise Adagrad step moves each row along its gradient
 * (the accumulator starts at 0, so the step is {@code -lr·√d·g/|g|}), and that gradient must match finite
 * differences of the loss the step reports; the first element-wise Adagrad step of every relation parameter
 * and global embedding is {@code -lr·sign(g)}, so it must oppose its finite-difference gradient. Catches what
 * the per-operator checks cannot: a gradient sent to the wrong side or the wrong relation, a missing term, a
 * positive score used by the wrong side.
 */
class ChunkTrainerGradientTest {
    private static final int ROWS = 12;
    private static final int D = 6;
    private static final int N = 5;
    /** Relations of the chunk's positives when it mixes two (dynamic relations only). */
    private static final int[] MIXED = {1, 0, 0, 1, 0};

    @ParameterizedTest
    @CsvSource({
        "translation, l2, ranking, false, false, false", "translation, l2, ranking, true, false, false",
        "complex_diagonal, dot, softmax, false, false, false", "complex_diagonal, dot, softmax, true, false, false",
        "affine, cos, logistic, false, false, false", "affine, cos, logistic, true, false, false",
        "diagonal, squared_l2, softmax, false, false, false", "linear, dot, logistic, true, false, false",
        "none, cos, softmax, false, false, false", "complex_diagonal, dot, softmax, false, true, false",
        "translation, l2, ranking, true, true, false", "affine, cos, logistic, false, true, false",
        "complex_diagonal, dot, softmax, false, false, true", "translation, l2, ranking, true, false, true",
        "affine, cos, logistic, false, true, true", "translation, l2, ranking, true, false, mixed",
        "complex_diagonal, dot, softmax, true, true, mixed", "affine, cos, logistic, true, false, mixed",
        "diagonal, squared_l2, softmax, true, false, mixed", "rotate, l2, softmax, true, false, mixed",
        "rotate, squared_l2, logistic, false, false, true"
    })
    void firstStepFollowsTheFiniteDifferenceGradient(
            String operator, String comparator, String loss, boolean dynamic, boolean bias, String negatives) {
        // negatives: "true" all_negs, "false" the chunk's own entities, "mixed" the chunk's own entities of
        // positives of two relations (dynamic relations), each with its own operator.
        boolean allNegs = negatives.equals("true");
        int[] rel = negatives.equals("mixed") ? MIXED : new int[N];
        TesseraConfig config = config(operator, comparator, loss, dynamic, bias, allNegs);
        TrainingSettings settings = TrainingSettings.of(config);
        ModelParameters params = new ModelParameters(config, D);
        SplittableRandom init = new SplittableRandom(11);
        for (float[] p : ModelCopies.parameterVectors(params)) {
            for (int k = 0; k < p.length; k++) {
                p[k] += (float) (init.nextDouble() - 0.5);
            }
        }
        EmbeddingPartition start = new EmbeddingPartition(0, 0, ROWS, D);
        start.initialize(0.7, 5);
        // Rows repeat within a side (0) and across sides (3, 4): each must still get one step on its summed
        // gradient, or its step would not follow the gradient.
        int[] lhs = {0, 1, 2, 0, 4};
        int[] rhs = {3, 4, 5, 6, 7};

        float[] gradient = new float[ROWS * D];
        double eps = 1e-3;
        for (int i = 0; i < ROWS * D; i++) {
            EmbeddingPartition plus = ModelCopies.partition(start);
            EmbeddingPartition minus = ModelCopies.partition(start);
            plus.embeddings[i] += (float) eps;
            minus.embeddings[i] -= (float) eps;
            gradient[i] = (float) ((lossOf(settings, ModelCopies.parameters(config, params, D), plus, rel, lhs, rhs)
                            - lossOf(settings, ModelCopies.parameters(config, params, D), minus, rel, lhs, rhs))
                    / (2 * eps));
        }
        // Each backend's step: OpenBLAS moves operands through native buffers, which a comparator's scratch
        // reuse (bias) must not confuse.
        for (DenseBackend backend : new DenseBackend[] {new JavaBackend(), new OpenBlasBackend()}) {
            String what = backend.getClass().getSimpleName() + " " + operator + "/" + comparator + "/" + loss
                    + " dynamic=" + dynamic + " bias=" + bias + " negatives=" + negatives;
            EmbeddingPartition stepped = ModelCopies.partition(start);
            ModelParameters p1 = ModelCopies.parameters(config, params, D);
            ChunkTrainer trainer = trainer(settings, backend, p1, allNegs);
            trainer.train(rel, lhs, rhs, null, 0, N, stepped, stepped, new SplittableRandom(1));
            trainer.step();
            assertStepFollows(gradient, start, stepped, allNegs, what);
            assertParameterStepsOppose(config, settings, params, p1, start, rel, lhs, rhs, what);
            if (rel != MIXED) {
                // Relation s has no positive in the chunk: its parameters get no step at all.
                assertArrayEquals(params.relation[1], p1.relation[1], what);
                assertArrayEquals(dynamic ? params.reciprocal[1] : null, dynamic ? p1.reciprocal[1] : null, what);
            }
        }
    }

    @Test
    void aChunkMixesRelationsOnlyWithDynamicRelations() {
        // Without dynamic relations the operator transforms the candidates, so there is no one operator for
        // a chunk of two relations: it must be refused, not scored with the first relation's operator.
        TesseraConfig config = config("diagonal", "dot", "softmax", false, false, false);
        ModelParameters params = new ModelParameters(config, D);
        EmbeddingPartition p = new EmbeddingPartition(0, 0, ROWS, D);
        p.initialize(0.7, 5);
        ChunkTrainer trainer = new ChunkTrainer(TrainingSettings.of(config), new JavaBackend(), params);
        assertThrows(
                IllegalArgumentException.class,
                () -> trainer.train(
                        MIXED,
                        new int[] {0, 1, 2, 0, 4},
                        new int[] {3, 4, 5, 6, 7},
                        null,
                        0,
                        N,
                        p,
                        p,
                        new SplittableRandom(1)));
    }

    private static TesseraConfig config(
            String operator, String comparator, String loss, boolean dynamic, boolean bias, boolean allNegs) {
        String relation = "{lhs: e, rhs: e, operator: " + operator + ", all_negs: " + allNegs + "}";
        return ConfigLoader.parse(
                "entities: {e: {num_partitions: 1}}\n"
                        + "relations: [" + relation.replace("{", "{name: r, ") + ", "
                        + relation.replace("{", "{name: s, ")
                        + "]\ndimension: " + D + "\ncomparator: " + comparator + "\nloss_fn: " + loss
                        + "\nmargin: 3.0\n"
                        + "num_batch_negs: " + N + "\nnum_uniform_negs: 0\nlr: 0.001\nregularization_coef: 0.01\n"
                        + "dynamic_relations: " + dynamic + "\nbias: " + bias + "\nworkers: 1\n",
                "test.yaml");
    }

    private static void assertStepFollows(
            float[] gradient, EmbeddingPartition start, EmbeddingPartition stepped, boolean allNegs, String what) {
        for (int row = 0; row < ROWS; row++) {
            double dot = 0;
            double stepNorm = 0;
            double gradNorm = 0;
            for (int k = 0; k < D; k++) {
                double step = stepped.embeddings[row * D + k] - start.embeddings[row * D + k];
                double g = gradient[row * D + k];
                dot += -step * g;
                stepNorm += step * step;
                gradNorm += g * g;
            }
            double cosine = dot / Math.sqrt(stepNorm * gradNorm + 1e-30);
            // Rows 8 to 11 are in no positive: candidates only with all_negs, where every row is one.
            assertTrue(
                    allNegs ? gradNorm > 1e-12 : row < 8 || gradNorm < 1e-12,
                    what + ": row " + row + " has gradient " + gradNorm);
            assertTrue(
                    gradNorm < 1e-12 || cosine > 0.999,
                    what + " row " + row + ": step and finite-difference gradient have cosine " + cosine);
        }
    }

    /** Every relation parameter, reciprocal parameter and global embedding element moved against its gradient. */
    private static void assertParameterStepsOppose(
            TesseraConfig config,
            TrainingSettings settings,
            ModelParameters before,
            ModelParameters after,
            EmbeddingPartition start,
            int[] rel,
            int[] lhs,
            int[] rhs,
            String what) {
        float[][] was = ModelCopies.parameterVectors(before);
        float[][] now = ModelCopies.parameterVectors(after);
        double eps = 1e-3;
        for (int v = 0; v < was.length; v++) {
            for (int k = 0; k < was[v].length; k++) {
                ModelParameters plus = ModelCopies.parameters(config, before, D);
                ModelParameters minus = ModelCopies.parameters(config, before, D);
                ModelCopies.parameterVectors(plus)[v][k] += (float) eps;
                ModelCopies.parameterVectors(minus)[v][k] -= (float) eps;
                double g =
                        (lossOf(settings, plus, start, rel, lhs, rhs) - lossOf(settings, minus, start, rel, lhs, rhs))
                                / (2 * eps);
                double step = now[v][k] - was[v][k];
                // Below 0.01 a difference of float losses is rounding noise (a bias absorbs translations exactly).
                assertTrue(
                        Math.abs(g) < 1e-2 || step * g < 0,
                        what + ": parameter vector " + v + " element " + k + ": gradient " + g + ", step " + step);
            }
        }
    }

    private static double lossOf(
            TrainingSettings settings, ModelParameters params, EmbeddingPartition p, int[] rel, int[] lhs, int[] rhs) {
        EmbeddingPartition q = ModelCopies.partition(p);
        return trainer(settings, new JavaBackend(), params, params.allNegatives[0])
                .train(rel, lhs, rhs, null, 0, N, q, q, new SplittableRandom(1));
    }

    private static ChunkTrainer trainer(
            TrainingSettings settings, DenseBackend backend, ModelParameters params, boolean allNegs) {
        return allNegs
                ? ChunkTrainer.allNegatives(settings, backend, params, ROWS)
                : new ChunkTrainer(settings, backend, params);
    }
}
