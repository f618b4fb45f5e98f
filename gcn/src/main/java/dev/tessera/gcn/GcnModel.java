package dev.tessera.gcn;

import dev.tessera.model.backend.DenseBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stack of graph convolutions: ReLU between layers, raw logits out of the last. Layer {@code l} propagates
 * with {@code propagation.get(l)}: the same {@code Â} for every layer in full-batch training, one sampled
 * block per layer in mini-batch training.
 */
public final class GcnModel {
    private final List<GcnLayer> layers = new ArrayList<>();

    public GcnModel(int inputDim, int classes, GcnSettings settings, SplittableRandom random) {
        int in = inputDim;
        for (int l = 0; l < settings.layers(); l++) {
            boolean last = l == settings.layers() - 1;
            int out = last ? classes : settings.hidden();
            layers.add(new GcnLayer(in, out, !last, settings.dropout(), random));
            in = out;
        }
    }

    public List<GcnLayer> layers() {
        return layers;
    }

    public int classes() {
        return layers.get(layers.size() - 1).outDim();
    }

    /** One forward pass; the last activation's output is the logits. {@code random} null: inference. */
    public List<GcnLayer.Activations> forward(
            List<CsrMatrix> propagation, NodeMatrix input, SplittableRandom random, DenseBackend backend) {
        if (propagation.size() != layers.size()) {
            throw new IllegalArgumentException(
                    layers.size() + " layers need as many propagation matrices, got " + propagation.size());
        }
        List<GcnLayer.Activations> acts = new ArrayList<>(layers.size());
        NodeMatrix h = input;
        for (int l = 0; l < layers.size(); l++) {
            GcnLayer.Activations a = layers.get(l).forward(propagation.get(l), h, random, backend);
            acts.add(a);
            h = new NodeMatrix.Dense(propagation.get(l).rows(), layers.get(l).outDim(), a.output());
        }
        return acts;
    }

    /** Adds every parameter's gradient given the gradient of the loss with respect to the logits. */
    public void backward(List<GcnLayer.Activations> acts, float[] dLogits, DenseBackend backend) {
        float[] d = dLogits;
        for (int l = layers.size() - 1; l >= 0; l--) {
            d = layers.get(l).backward(acts.get(l), d, l > 0, backend);
        }
    }

    /** One Adam step over every parameter; weight decay on the first layer only unless {@code allLayers}. */
    public void step(Adam adam, double weightDecay, boolean allLayers) {
        adam.beginStep();
        for (int l = 0; l < layers.size(); l++) {
            double decay = l == 0 || allLayers ? weightDecay : 0;
            adam.update(layers.get(l).weight, decay);
            adam.update(layers.get(l).bias, 0);
        }
    }
}
