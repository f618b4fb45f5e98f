package dev.tessera.gcn;

import dev.tessera.core.util.ProcessMemory;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.sampler.NeighbourSampler;
import dev.tessera.sampler.Neighbourhood;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Sampled mini-batch GCN training for graphs whose features or adjacency do not fit in memory (GraphSAGE /
 * PinSage). A producer thread samples each batch's blocks and gathers its input features while the
 * training thread computes the previous batch, through a queue of two: memory holds at most a few batches,
 * whatever the graph's size. Evaluation samples the same way, without dropout, under fixed seeds.
 */
public final class MiniBatchGcnTrainer {
    private static final int QUEUE_DEPTH = 2;

    private final Neighbourhood graph;
    private final FeatureSource features;
    private final int[] classOf;
    private final int classes;
    private final DenseBackend backend;
    private double waitSeconds;

    /**
     * @param classOf each node's class ({@code -1}: unlabelled); the seeds of every batch must be labelled
     */
    public MiniBatchGcnTrainer(
            Neighbourhood graph, FeatureSource features, int[] classOf, int classes, DenseBackend backend) {
        this.graph = graph;
        this.features = features;
        this.classOf = classOf;
        this.classes = classes;
        this.backend = backend;
    }

    /** Seconds the training thread spent waiting for the producer (0 when sampling keeps up). */
    public double waitSeconds() {
        return waitSeconds;
    }

    public GcnResult train(
            int[] train, int[] valid, int[] test, GcnSettings settings, long seed, GcnProgress progress) {
        SplittableRandom random = new SplittableRandom(seed);
        GcnModel model = new GcnModel(features.dimension(), classes, settings, random);
        Adam adam = new Adam(settings.learningRate());
        NeighbourSampler sampler = new NeighbourSampler(
                graph, settings.fanouts().stream().mapToInt(i -> i).toArray());
        double[] losses = new double[settings.epochs()];
        double[] validCurve = new double[settings.epochs()];
        long start = System.nanoTime();
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = shuffled(train, new SplittableRandom(seed * 31 + epoch));
            double lossSum = 0;
            int batches = 0;
            try (BatchProducer producer =
                    new BatchProducer(sampler, order, settings.batchSize(), seed * 1_000_003L + epoch)) {
                for (MiniBatch batch = producer.next(); batch != null; batch = producer.next()) {
                    List<GcnLayer.Activations> acts =
                            model.forward(batch.propagation(), batch.input(), random, backend);
                    float[] logits = acts.get(acts.size() - 1).output();
                    float[] dLogits = new float[logits.length];
                    int[] rows = new int[batch.seeds().length];
                    Arrays.setAll(rows, i -> i); // the last block's destinations are the seeds, in order
                    lossSum += SoftmaxCrossEntropy.loss(logits, classes, rows, labelsOf(batch.seeds()), dLogits);
                    batches++;
                    model.backward(acts, dLogits, backend);
                    model.step(adam, settings.weightDecay(), settings.weightDecayAllLayers());
                }
                waitSeconds += producer.waitSeconds();
            }
            losses[epoch] = lossSum / Math.max(1, batches);
            validCurve[epoch] = accuracy(model, sampler, valid, settings.batchSize(), seed);
            progress.epochDone(
                    epoch + 1, settings.epochs(), losses[epoch], validCurve[epoch], (System.nanoTime() - start) / 1e9);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new GcnResult(
                settings.epochs(),
                seconds,
                1000 * seconds / settings.epochs(),
                losses[settings.epochs() - 1],
                accuracy(model, sampler, train, settings.batchSize(), seed),
                validCurve[settings.epochs() - 1],
                accuracy(model, sampler, test, settings.batchSize(), seed),
                losses,
                validCurve,
                ProcessMemory.peakRssMb());
    }

    /** Accuracy on {@code nodes}, each classified from a neighbourhood sampled under a fixed seed. */
    private double accuracy(GcnModel model, NeighbourSampler sampler, int[] nodes, int batchSize, long seed) {
        int correct = 0;
        try (BatchProducer producer = new BatchProducer(sampler, nodes, batchSize, ~seed)) {
            for (MiniBatch batch = producer.next(); batch != null; batch = producer.next()) {
                List<GcnLayer.Activations> acts = model.forward(batch.propagation(), batch.input(), null, backend);
                float[] logits = acts.get(acts.size() - 1).output();
                for (int i = 0; i < batch.seeds().length; i++) {
                    if (SoftmaxCrossEntropy.argmax(logits, i * classes, classes) == classOf[batch.seeds()[i]]) {
                        correct++;
                    }
                }
            }
            waitSeconds += producer.waitSeconds();
        }
        return (double) correct / nodes.length;
    }

    private int[] labelsOf(int[] nodes) {
        int[] labels = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            labels[i] = classOf[nodes[i]];
            if (labels[i] < 0) {
                throw new IllegalArgumentException("node " + nodes[i] + " is a training seed but has no label");
            }
        }
        return labels;
    }

    private static int[] shuffled(int[] nodes, SplittableRandom random) {
        int[] a = nodes.clone();
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /**
     * The producer: a daemon thread that samples and gathers batches in order into a bounded queue. Batch
     * {@code b} is sampled with seed {@code seed + b}, so the batches do not depend on thread timing. A failure
     * in the producer is rethrown by {@link #next}.
     */
    private final class BatchProducer implements AutoCloseable {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_DEPTH);
        private final Thread thread;
        private static final Object END = new Object();
        private long waitNanos;

        BatchProducer(NeighbourSampler sampler, int[] nodes, int batchSize, long seed) {
            thread = new Thread(
                    () -> {
                        try {
                            for (int from = 0, b = 0; from < nodes.length; from += batchSize, b++) {
                                int[] seeds = Arrays.copyOfRange(nodes, from, Math.min(nodes.length, from + batchSize));
                                var blocks = sampler.sample(seeds, seed + b);
                                queue.put(
                                        MiniBatch.of(blocks, features.rows(blocks.inputNodes()), features.dimension()));
                            }
                            queue.put(END);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (RuntimeException | Error e) {
                            try {
                                queue.put(e);
                            } catch (InterruptedException ignored) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    },
                    "tessera-gcn-batches");
            thread.setDaemon(true);
            thread.start();
        }

        /** The next batch, or null after the last. */
        MiniBatch next() {
            long t0 = System.nanoTime();
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a mini-batch", e);
            } finally {
                waitNanos += System.nanoTime() - t0;
            }
            if (o == END) {
                return null;
            }
            if (o instanceof RuntimeException e) {
                throw e;
            }
            if (o instanceof Error e) {
                throw e;
            }
            return (MiniBatch) o;
        }

        double waitSeconds() {
            return waitNanos / 1e9;
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
