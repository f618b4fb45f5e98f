package dev.tessera.trainer.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.trainer.backend.DenseBackend;
import dev.tessera.trainer.backend.JavaBackend;
import dev.tessera.trainer.backend.OpenBlasBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole chunk step, wired together: its first row-wise Adagrad step moves each row along its gradient
 * (the accumulator starts at 0, so the step is {@code -lr·√d·g/|g|}), and that gradient must match finite
 * differences of the loss the step reports. Catches what the per-operator checks cannot: a gradient sent to
 * the wrong side, a missing term, a positive score used by the wrong side.
 */
class ChunkTrainerGradientTest {
    private static final int ROWS = 12;
    private static final int D = 6;
    private static final int N = 5;

    @ParameterizedTest
    @CsvSource({
            "translation, l2, ranking, false, false, false", "translation, l2, ranking, true, false, false",
            "complex_diagonal, dot, softmax, false, false, false", "complex_diagonal, dot, softmax, true, false, false",
            "affine, cos, logistic, false, false, false", "affine, cos, logistic, true, false, false",
            "diagonal, squared_l2, softmax, false, false, false", "linear, dot, logistic, true, false, false",
            "none, cos, softmax, false, false, false", "complex_diagonal, dot, softmax, false, true, false",
            "translation, l2, ranking, true, true, false", "affine, cos, logistic, false, true, false",
            "complex_diagonal, dot, softmax, false, false, true", "translation, l2, ranking, true, false, true",
            "affine, cos, logistic, false, true, true", "translation, l2, ranking, true, false, pooled",
            "complex_diagonal, dot, softmax, true, true, pooled", "affine, cos, logistic, true, false, pooled"})
    void firstStepFollowsTheFiniteDifferenceGradient(String operator, String comparator, String loss,
                                                     boolean dynamic, boolean bias, String negatives) {
        // negatives: "true" all_negs, "false" the chunk's own entities, "pooled" batch negatives drawn from
        // other edges (dynamic relations); the pool's rows 8 to 11 are candidates only then.
        boolean allNegs = negatives.equals("true");
        boolean pooled = negatives.equals("pooled");
        TesseraConfig config = ConfigLoader.parse("entities: {e: {num_partitions: 1}}\n"
                + "relations: [{name: r, lhs: e, rhs: e, operator: " + operator + ", all_negs: " + allNegs + "}]\n"
                + "dimension: " + D + "\ncomparator: " + comparator + "\nloss_fn: " + loss + "\nmargin: 3.0\n"
                + "num_batch_negs: " + N + "\nnum_uniform_negs: 0\nlr: 0.001\nregularization_coef: 0.01\n"
                + "dynamic_relations: " + dynamic + "\nbias: " + bias + "\nworkers: 1\n", "test.yaml");
        TrainingSettings settings = TrainingSettings.of(config);
        ModelParameters params = new ModelParameters(config, D);
        SplittableRandom init = new SplittableRandom(11);
        for (float[] p : new float[][] {params.relation[0], dynamic ? params.reciprocal[0] : new float[0]}) {
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
            gradient[i] = (float) ((lossWith(config, settings, params, start, lhs, rhs, pooled, i, eps)
                    - lossWith(config, settings, params, start, lhs, rhs, pooled, i, -eps)) / (2 * eps));
        }
        // Each backend's step: OpenBLAS moves operands through native buffers, which a comparator's scratch
        // reuse (bias) must not confuse.
        for (DenseBackend backend : new DenseBackend[] {new JavaBackend(), new OpenBlasBackend()}) {
            String what = backend.getClass().getSimpleName() + " " + operator + "/" + comparator + "/" + loss
                    + " dynamic=" + dynamic + " bias=" + bias + " all_negs=" + allNegs;
            EmbeddingPartition stepped = copy(start);
            ModelParameters p1 = copyParams(config, params);
            ChunkTrainer trainer = trainer(settings, backend, p1, allNegs, pooled);
            trainer.train(0, lhs, rhs, null, 0, N, stepped, stepped, new SplittableRandom(1));
            trainer.step();
            assertStepFollows(gradient, start, stepped, allNegs, pooled, what);
            // The global embedding's first elementwise Adagrad step is -lr·sign(g): it must oppose its gradient.
            for (int k = 0; params.global[0] != null && k < D; k++) {
                ModelParameters plus = copyParams(config, params);
                ModelParameters minus = copyParams(config, params);
                plus.global[0][k] += (float) eps;
                minus.global[0][k] -= (float) eps;
                double g = (lossOf(settings, plus, start, lhs, rhs, pooled) - lossOf(settings, minus, start, lhs, rhs,
                        pooled)) / (2 * eps);
                double step = p1.global[0][k] - params.global[0][k];
                assertTrue(Math.abs(g) < 1e-3 || step * g < 0, what + ": global embedding element " + k
                        + ": gradient " + g + ", step " + step);
            }
        }
    }

    private static void assertStepFollows(float[] gradient, EmbeddingPartition start, EmbeddingPartition stepped,
                                          boolean allNegs, boolean pooled, String what) {
        // Rows 8 to 11 are candidates only with all_negs or pooled negatives (else no gradient, and no step).
        int pooledRowsTrained = 0;
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
            assertTrue(!allNegs || gradNorm > 1e-12, "with all_negs every row is a candidate, row " + row);
            if (row >= 8 && gradNorm > 1e-12) {
                pooledRowsTrained++;
            }
            assertTrue(gradNorm < 1e-12 || cosine > 0.999,
                    what + " row " + row + ": step and finite-difference gradient have cosine " + cosine);
        }
        // Ten draws from the pool's four rows per side: most are drawn, none otherwise.
        assertTrue(pooled ? pooledRowsTrained >= 2 : allNegs || pooledRowsTrained == 0,
                what + ": rows 8 to 11 trained: " + pooledRowsTrained);
    }

    private static double lossWith(TesseraConfig config, TrainingSettings settings, ModelParameters params,
                                   EmbeddingPartition start, int[] lhs, int[] rhs, boolean pooled, int coordinate,
                                   double eps) {
        EmbeddingPartition p = copy(start);
        p.embeddings[coordinate] += (float) eps;
        return lossOf(settings, copyParams(config, params), p, lhs, rhs, pooled);
    }

    private static double lossOf(TrainingSettings settings, ModelParameters params, EmbeddingPartition p, int[] lhs,
                                 int[] rhs, boolean pooled) {
        EmbeddingPartition q = copy(p);
        return trainer(settings, new JavaBackend(), params, params.allNegatives[0], pooled).train(0, lhs, rhs, null, 0,
                N, q, q, new SplittableRandom(1));
    }

    private static ChunkTrainer trainer(TrainingSettings settings, DenseBackend backend, ModelParameters params,
                                        boolean allNegs, boolean pooled) {
        ChunkTrainer t = allNegs ? ChunkTrainer.allNegatives(settings, backend, params, ROWS)
                : new ChunkTrainer(settings, backend, params);
        if (pooled) {
            // Other edges of the bucket (relation 0 only, as the config has one); the chunk's own are not among them.
            t.drawBatchNegativesFrom(new int[] {0, 0, 0, 0}, new int[] {8, 9, 10, 11}, new int[] {11, 10, 9, 8}, 4);
        }
        return t;
    }

    private static EmbeddingPartition copy(EmbeddingPartition p) {
        EmbeddingPartition c = new EmbeddingPartition(p.type, p.part, p.rows, p.d);
        System.arraycopy(p.embeddings, 0, c.embeddings, 0, p.embeddings.length);
        return c;
    }

    private static ModelParameters copyParams(TesseraConfig config, ModelParameters p) {
        ModelParameters c = new ModelParameters(config, D);
        System.arraycopy(p.relation[0], 0, c.relation[0], 0, p.relation[0].length);
        if (p.reciprocal != null) {
            System.arraycopy(p.reciprocal[0], 0, c.reciprocal[0], 0, p.reciprocal[0].length);
        }
        if (p.global[0] != null) {
            System.arraycopy(p.global[0], 0, c.global[0], 0, D);
        }
        return c;
    }
}
