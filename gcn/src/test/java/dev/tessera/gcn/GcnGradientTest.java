package dev.tessera.gcn;

import dev.tessera.model.GradientCheck;
import dev.tessera.model.backend.JavaBackend;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of the GCN layer (both product orders, sparse and dense inputs), the loss and a whole model. */
class GcnGradientTest {
    private static final JavaBackend BACKEND = new JavaBackend();
    private static final float EPS = 1e-3f;

    private static CsrMatrix randomSparse(Random r, int rows, int cols, double density) {
        int n = 0;
        int[] ri = new int[rows * cols];
        int[] ci = new int[rows * cols];
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (r.nextDouble() < density) {
                    ri[n] = i;
                    ci[n] = j;
                    v[n++] = (float) r.nextGaussian();
                }
            }
        }
        return CsrMatrix.fromCoordinates(
                rows,
                cols,
                java.util.Arrays.copyOf(ri, n),
                java.util.Arrays.copyOf(ci, n),
                java.util.Arrays.copyOf(v, n));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** L = Σ out ⊙ R for a fixed random R, so ∂L/∂out = R. Dropout replays the same mask from a fixed seed. */
    private static void checkLayer(
            String what, CsrMatrix s, NodeMatrix input, int outDim, boolean relu, double dropout) {
        Random r = new Random(what.hashCode());
        GcnLayer layer = new GcnLayer(input.cols(), outDim, relu, dropout, new SplittableRandom(1));
        for (int i = 0; i < layer.bias.values.length; i++) {
            layer.bias.values[i] = (float) r.nextGaussian() * 0.1f;
        }
        float[] weights = GradientCheck.random(r, s.rows() * outDim, 1f);
        long seed = 99;
        GcnLayer.Activations a = layer.forward(s, input, dropout > 0 ? new SplittableRandom(seed) : null, BACKEND);
        boolean dense = input instanceof NodeMatrix.Dense;
        float[] dInput = layer.backward(a, weights, dense, BACKEND);
        java.util.function.ToDoubleFunction<float[]> loss = x -> dot(
                layer.forward(s, input, dropout > 0 ? new SplittableRandom(seed) : null, BACKEND)
                        .output(),
                weights);
        GradientCheck.check(what + " weight", layer.weight.values, layer.weight.gradient.clone(), loss, EPS);
        GradientCheck.check(what + " bias", layer.bias.values, layer.bias.gradient.clone(), loss, EPS);
        if (dense) {
            GradientCheck.check(what + " input", ((NodeMatrix.Dense) input).values(), dInput, loss, EPS);
        }
    }

    @Test
    void layerGradientsInBothProductOrders() {
        Random r = new Random(3);
        CsrMatrix square = randomSparse(r, 6, 6, 0.4);
        CsrMatrix block = randomSparse(r, 4, 6, 0.5); // a sampled block: 4 destination × 6 source nodes
        for (CsrMatrix s : List.of(square, block)) {
            String shape = s.rows() + "x" + s.cols();
            // in < out: (S·H)·W; in > out: S·(H·W)
            checkLayer("widening " + shape, s, new NodeMatrix.Dense(6, 3, GradientCheck.random(r, 18, 1f)), 5, true, 0);
            checkLayer(
                    "narrowing " + shape, s, new NodeMatrix.Dense(6, 5, GradientCheck.random(r, 30, 1f)), 3, true, 0);
            checkLayer("linear " + shape, s, new NodeMatrix.Dense(6, 4, GradientCheck.random(r, 24, 1f)), 2, false, 0);
            checkLayer(
                    "dropout widening " + shape,
                    s,
                    new NodeMatrix.Dense(6, 2, GradientCheck.random(r, 12, 1f)),
                    4,
                    true,
                    0.4);
            checkLayer(
                    "dropout narrowing " + shape,
                    s,
                    new NodeMatrix.Dense(6, 4, GradientCheck.random(r, 24, 1f)),
                    2,
                    false,
                    0.4);
            checkLayer("sparse input " + shape, s, new NodeMatrix.Sparse(randomSparse(r, 6, 7, 0.3)), 3, true, 0.3);
        }
    }

    @Test
    void softmaxCrossEntropyGradient() {
        Random r = new Random(5);
        int classes = 4;
        float[] logits = GradientCheck.random(r, 6 * classes, 2f);
        int[] rows = {0, 2, 5};
        int[] labels = {3, 0, 1};
        float[] grad = new float[logits.length];
        SoftmaxCrossEntropy.loss(logits, classes, rows, labels, grad);
        GradientCheck.check(
                "softmax cross-entropy",
                logits,
                grad.clone(),
                x -> SoftmaxCrossEntropy.loss(x, classes, rows, labels, new float[x.length]));
    }

    @Test
    void twoLayerModelGradientThroughTheLoss() {
        Random r = new Random(11);
        CsrMatrix adjacency =
                NormalizedAdjacency.of(8, new int[] {0, 1, 2, 3, 4, 5, 6, 0}, new int[] {1, 2, 3, 4, 5, 6, 7, 4});
        NodeMatrix features = new NodeMatrix.Sparse(randomSparse(r, 8, 10, 0.3));
        GcnSettings settings = new GcnSettings(2, 5, 0.2, 0.01, 0, false, 1, true, true, List.of(3, 3), 4);
        GcnModel model = new GcnModel(10, 3, settings, new SplittableRandom(2));
        List<CsrMatrix> props = List.of(adjacency, adjacency);
        int[] rows = {1, 4, 6};
        int[] labels = {0, 2, 1};
        java.util.function.ToDoubleFunction<float[]> loss = x -> {
            List<GcnLayer.Activations> acts = model.forward(props, features, new SplittableRandom(8), BACKEND);
            return SoftmaxCrossEntropy.loss(acts.get(1).output(), 3, rows, labels, new float[8 * 3]);
        };
        List<GcnLayer.Activations> acts = model.forward(props, features, new SplittableRandom(8), BACKEND);
        float[] dLogits = new float[8 * 3];
        SoftmaxCrossEntropy.loss(acts.get(1).output(), 3, rows, labels, dLogits);
        model.backward(acts, dLogits, BACKEND);
        for (GcnLayer layer : model.layers()) {
            GradientCheck.check("model weight", layer.weight.values, layer.weight.gradient.clone(), loss, EPS);
            GradientCheck.check("model bias", layer.bias.values, layer.bias.gradient.clone(), loss, EPS);
        }
    }
}
