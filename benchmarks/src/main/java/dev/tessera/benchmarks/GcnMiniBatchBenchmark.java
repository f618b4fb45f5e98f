package dev.tessera.benchmarks;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.gcn.AdjacencyFile;
import dev.tessera.gcn.FeatureSource;
import dev.tessera.gcn.GcnResult;
import dev.tessera.gcn.GcnSettings;
import dev.tessera.gcn.MiniBatchGcnTrainer;
import dev.tessera.gcn.NodeIndex;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.FeatureRow;
import dev.tessera.storage.FeatureStore;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sampled mini-batch GCN on generated graphs too large to hold comfortably: a planted-class graph (each node's
 * class is {@code node mod classes}; an edge stays inside its source's class with probability 0.6) whose 64
 * features are the class's centroid plus much larger noise, so neighbourhoods carry most of the signal.
 * Trains the same settings on the full graph and on one a tenth of its size, each in a fresh JVM with the
 * same heap limit, and prints both peak RSS figures: if memory follows the batch, not the graph, the ratio
 * stays near 1 while the graph grows tenfold.
 *
 * <p>{@code bin/run benchmarks GcnMiniBatchBenchmark [--nodes 2000000] [--edges 20000000] [--train 51200]
 * [--epochs 1] [--batch 512] [--heap 1g]}
 */
public final class GcnMiniBatchBenchmark {
    private static final int FEATURES = 64;
    private static final int CLASSES = 16;

    private GcnMiniBatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        long nodes = Long.parseLong(a.getOrDefault("nodes", "2000000"));
        long edges = Long.parseLong(a.getOrDefault("edges", "20000000"));
        int train = Integer.parseInt(a.getOrDefault("train", "51200"));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "1"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "512"));
        String heap = a.getOrDefault("heap", "1g");
        Path work = Path.of(a.getOrDefault("work", System.getProperty("java.io.tmpdir") + "/tessera-gcn-bench"));
        if (a.containsKey("child")) {
            train(Path.of(a.get("graph")), train, epochs, batch);
            return;
        }
        Map<String, String> small = run(work, nodes / 10, edges / 10, train, epochs, batch, heap);
        Map<String, String> large = run(work, nodes, edges, train, epochs, batch, heap);
        double rssSmall = Double.parseDouble(small.get("peak_rss_mb"));
        double rssLarge = Double.parseDouble(large.get("peak_rss_mb"));
        System.out.printf(
                Locale.ROOT,
                "benchmark=gcn_minibatch nodes=%d edges=%d features=%d batch=%d fanouts=25,10 "
                        + "heap=%s small_nodes=%d small_peak_rss_mb=%.0f peak_rss_mb=%.0f rss_ratio_10x_graph=%.3f "
                        + "feature_bytes_mb=%.0f test_accuracy=%s small_test_accuracy=%s seconds=%s seeds_per_s=%s "
                        + "batch_wait_seconds=%s%n",
                nodes,
                edges,
                FEATURES,
                batch,
                heap,
                nodes / 10,
                rssSmall,
                rssLarge,
                rssLarge / rssSmall,
                nodes * FEATURES * 4 / 1e6,
                large.get("test_accuracy"),
                small.get("test_accuracy"),
                large.get("seconds"),
                large.get("seeds_per_s"),
                large.get("batch_wait_seconds"));
    }

    /** Generates the graph (once), then trains it in a child JVM; returns the child's key=value line. */
    private static Map<String, String> run(
            Path work, long nodes, long edges, int train, int epochs, int batch, String heap) throws Exception {
        Path graph = work.resolve("graph-" + nodes + "-" + edges);
        if (!Files.exists(graph.resolve("gcn").resolve("adjacency.bin"))) {
            generate(graph, (int) nodes, edges);
        }
        return ChildJvm.run(
                nodes + " nodes",
                heap,
                GcnMiniBatchBenchmark.class,
                List.of(
                        "--child",
                        "true",
                        "--graph",
                        graph.toString(),
                        "--train",
                        String.valueOf(train),
                        "--epochs",
                        String.valueOf(epochs),
                        "--batch",
                        String.valueOf(batch)));
    }

    /** The child: trains on the stored graph reading features per batch, and reports. */
    private static void train(Path graph, int trainCount, int epochs, int batch) {
        try (GraphStore store = GraphStore.openReadOnly(graph)) {
            NodeIndex index = NodeIndex.of(store.meta());
            int n = index.size();
            int[] classOf = new int[n];
            for (int v = 0; v < n; v++) {
                classOf[v] = v % CLASSES;
            }
            // Disjoint node sets spread over the graph: train, then valid and test after them.
            int stride = n / (trainCount + 2 * 5000);
            int[] trainNodes = strided(0, trainCount, stride);
            int[] valid = strided(trainCount, 5000, stride);
            int[] test = strided(trainCount + 5000, 5000, stride);
            GcnSettings settings =
                    new GcnSettings(2, 64, 0.2, 0.01, 0, false, epochs, false, false, List.of(25, 10), batch);
            try (AdjacencyFile adjacency = AdjacencyFile.openOrBuild(store, index)) {
                MiniBatchGcnTrainer trainer = new MiniBatchGcnTrainer(
                        adjacency,
                        FeatureSource.stored(new FeatureStore(store), index),
                        classOf,
                        CLASSES,
                        OpenBlasBackend.bestAvailable());
                long batches = (long) epochs * ((trainCount + batch - 1) / batch);
                GcnResult r = trainer.train(
                        trainNodes,
                        valid,
                        test,
                        settings,
                        1,
                        (epoch, total, loss, acc, s) -> System.err.printf(
                                Locale.ROOT,
                                "epoch %d/%d  loss %.4f  val acc %.4f  %.1f s%n",
                                epoch,
                                total,
                                loss,
                                acc,
                                s));
                System.out.printf(
                        Locale.ROOT,
                        "benchmark=gcn_minibatch_child nodes=%d peak_rss_mb=%d test_accuracy=%.4f "
                                + "val_accuracy=%.4f seconds=%.1f seeds_per_s=%.0f batches=%d batch_wait_seconds=%.1f%n",
                        n,
                        r.peakRssMb(),
                        r.testAccuracy(),
                        r.validAccuracy(),
                        r.seconds(),
                        (double) trainCount * epochs / r.seconds(),
                        batches,
                        trainer.waitSeconds());
            }
        }
    }

    private static int[] strided(int first, int count, int stride) {
        int[] a = new int[count];
        for (int i = 0; i < count; i++) {
            a[i] = (first + i) * stride + (first + i) % stride;
        }
        return a;
    }

    /** Writes the store directly (dictionary, one bucket of edges, features, meta) and the adjacency file. */
    static void generate(Path graph, int nodes, long edges) throws Exception {
        System.err.printf(
                Locale.ROOT,
                "generating %,d nodes, %,d edges, %d features into %s ...%n",
                nodes,
                edges,
                FEATURES,
                graph);
        long t0 = System.nanoTime();
        Files.createDirectories(graph.getParent());
        TesseraConfig config = ConfigLoader.parse(
                "entities: {node: {num_partitions: 1}}\n" + "relations: [{name: link, lhs: node, rhs: node}]\n",
                "generated");
        try (GraphStore store = GraphStore.create(graph)) {
            List<String> names = new ArrayList<>();
            List<EntityRef> refs = new ArrayList<>();
            for (int v = 0; v < nodes; v++) {
                names.add("n" + v);
                refs.add(new EntityRef(0, 0, v));
                if (names.size() == 100_000 || v == nodes - 1) {
                    store.putEntities(names, refs);
                    names.clear();
                    refs.clear();
                }
            }
            SplittableRandom random = new SplittableRandom(42);
            int blockSize = EdgeBlock.DEFAULT_SIZE;
            int chunk = 0;
            List<EdgeBlock> blocks = new ArrayList<>();
            for (long e = 0; e < edges; e += blockSize) {
                int size = (int) Math.min(blockSize, edges - e);
                int[] rel = new int[size];
                int[] lhs = new int[size];
                int[] rhs = new int[size];
                for (int i = 0; i < size; i++) {
                    lhs[i] = random.nextInt(nodes);
                    rhs[i] = random.nextDouble() < 0.6
                            ? Math.min(nodes - 1, lhs[i] % CLASSES + CLASSES * random.nextInt(nodes / CLASSES))
                            : random.nextInt(nodes);
                }
                blocks.add(new EdgeBlock(rel, lhs, rhs, null));
                if (blocks.size() == 64) {
                    store.putEdgeBlocks(Split.TRAIN, 0, 0, chunk++, blocks);
                    blocks.clear();
                }
            }
            if (!blocks.isEmpty()) {
                store.putEdgeBlocks(Split.TRAIN, 0, 0, chunk, blocks);
            }
            store.writeMeta(new GraphMeta(
                    config,
                    1,
                    Map.of("node", new long[] {nodes}),
                    Map.of(
                            Split.TRAIN,
                            new long[][] {{edges}},
                            Split.VALID,
                            new long[][] {{0}},
                            Split.TEST,
                            new long[][] {{0}}),
                    Map.of()));
            new FeatureStore(store).replace(FEATURES, features(nodes), "generated");
            AdjacencyFile.openOrBuild(store, NodeIndex.of(store.meta())).close();
            store.compact();
        }
        System.err.printf(Locale.ROOT, "generated in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Class centroid (unit scale) plus noise of six times its scale, per node, deterministic. */
    private static Iterator<FeatureRow> features(int nodes) {
        SplittableRandom c = new SplittableRandom(7);
        float[][] centroid = new float[CLASSES][FEATURES];
        for (float[] row : centroid) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = (float) (c.nextDouble() * 2 - 1);
            }
        }
        int[] columns = new int[FEATURES];
        java.util.Arrays.setAll(columns, j -> j);
        SplittableRandom noise = new SplittableRandom(8);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < nodes;
            }

            @Override
            public FeatureRow next() {
                int v = next++;
                float[] values = new float[FEATURES];
                for (int j = 0; j < FEATURES; j++) {
                    values[j] = centroid[v % CLASSES][j] + (float) (6 * (noise.nextDouble() * 2 - 1));
                }
                return new FeatureRow(new EntityRef(0, 0, v), columns, values);
            }
        };
    }
}
