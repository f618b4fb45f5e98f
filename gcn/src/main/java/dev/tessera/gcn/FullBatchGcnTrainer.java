package dev.tessera.gcn;

import dev.tessera.core.util.ProcessMemory;
import dev.tessera.model.backend.DenseBackend;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Full-batch GCN training for graphs that fit in memory: every epoch is one forward and backward pass over
 * all nodes with the loss on the training nodes, then one Adam step (Kipf &amp; Welling). The reported
 * accuracies are those of the model after the last epoch; no early stopping or selection on the test set.
 */
public final class FullBatchGcnTrainer {
    private final DenseBackend backend;

    public FullBatchGcnTrainer(DenseBackend backend) {
        this.backend = backend;
    }

    public GcnResult train(NodeClassificationData data, GcnSettings settings, long seed, GcnProgress progress) {
        SplittableRandom random = new SplittableRandom(seed);
        GcnModel model = new GcnModel(data.features().cols(), data.classes(), settings, random);
        Adam adam = new Adam(settings.learningRate());
        List<CsrMatrix> propagation = Collections.nCopies(settings.layers(), data.adjacency());
        int[] trainLabels = data.splits().labelsOf(data.train());
        int[] validLabels = data.splits().labelsOf(data.valid());
        int classes = data.classes();
        float[] dLogits = new float[data.index().size() * classes];
        double[] losses = new double[settings.epochs()];
        double[] validCurve = new double[settings.epochs()];
        long start = System.nanoTime();
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            List<GcnLayer.Activations> acts = model.forward(propagation, data.features(), random, backend);
            float[] logits = acts.get(acts.size() - 1).output();
            losses[epoch] = SoftmaxCrossEntropy.loss(logits, classes, data.train(), trainLabels, dLogits);
            model.backward(acts, dLogits, backend);
            model.step(adam, settings.weightDecay(), settings.weightDecayAllLayers());
            float[] eval = predict(model, propagation, data.features());
            validCurve[epoch] = SoftmaxCrossEntropy.accuracy(eval, classes, data.valid(), validLabels);
            progress.epochDone(
                    epoch + 1, settings.epochs(), losses[epoch], validCurve[epoch], (System.nanoTime() - start) / 1e9);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        float[] logits = predict(model, propagation, data.features());
        return new GcnResult(
                settings.epochs(),
                seconds,
                1000 * seconds / settings.epochs(),
                losses[settings.epochs() - 1],
                SoftmaxCrossEntropy.accuracy(logits, classes, data.train(), trainLabels),
                SoftmaxCrossEntropy.accuracy(logits, classes, data.valid(), validLabels),
                SoftmaxCrossEntropy.accuracy(
                        logits, classes, data.test(), data.splits().labelsOf(data.test())),
                losses,
                validCurve,
                ProcessMemory.peakRssMb());
    }

    private float[] predict(GcnModel model, List<CsrMatrix> propagation, NodeMatrix features) {
        List<GcnLayer.Activations> acts = model.forward(propagation, features, null, backend);
        return acts.get(acts.size() - 1).output();
    }
}
