package dev.tessera.benchmarks;

import dev.tessera.core.config.ComparatorName;
import dev.tessera.model.TrainedModel;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.serving.knn.ExactKnn;
import dev.tessera.serving.knn.GaussianMixture;
import dev.tessera.serving.knn.HnswIndex;
import dev.tessera.serving.knn.Metric;
import dev.tessera.serving.knn.Neighbours;
import dev.tessera.storage.TrainedGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact (blocked SGEMM) against approximate (HNSW) nearest neighbours on two sets: the entity embeddings
 * of a trained checkpoint (WordNet: 112k synsets) and generated clustered vectors (a gaussian mixture, 1M ×
 * 100 by default). For each: HNSW build time, exact and approximate queries/s with every core busy (exact
 * as batches of queries, approximate as concurrent single queries), and recall@k of the approximate answer
 * against the exact one; queries are rows of the set, each excluding itself. Prints one {@code key=value} line.
 *
 * <p>Usage: {@code KnnBenchmark [--graph graphs/wordnet --checkpoint graphs/wordnet.checkpoint]
 * [--vectors 1000000] [--dimension 100] [--clusters 1000] [--spread 0.5] [--metric l2] [--queries 1000]
 * [--k 10] [--ef 100] [--beam 100] [--max-conn 16] [--threads N]}. The checkpoint's set is skipped when
 * its directories are missing; {@code --vectors 0} skips the generated one. With the defaults the run takes
 * about 11 minutes on 2 cores, nearly all of it building the 1M-vector graph (Lucene's distance loops are
 * scalar on Java 17). Give the JVM room: 1M × 100 floats are 400 MB, held three times (input, exact
 * blocks, HNSW rows) plus the graph ({@code TESSERA_JAVA_OPTS=-Xmx8g}).
 */
public final class KnnBenchmark {
    private KnnBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        int queries = Integer.parseInt(a.getOrDefault("queries", "1000"));
        int k = Integer.parseInt(a.getOrDefault("k", "10"));
        int ef = Integer.parseInt(a.getOrDefault("ef", String.valueOf(HnswIndex.DEFAULT_EF)));
        // Lucene's default build beam. Measured on 1M clustered vectors, 2 shared cores: beam 100 builds in
        // 623 s for recall@10 0.956 at ef 100; beam 50 in 364 s but recall@10 0.827, not worth the time saved.
        int beam = Integer.parseInt(a.getOrDefault("beam", String.valueOf(HnswIndex.DEFAULT_BEAM_WIDTH)));
        int maxConn = Integer.parseInt(a.getOrDefault("max-conn", String.valueOf(HnswIndex.DEFAULT_MAX_CONN)));
        int threads = Integer.parseInt(
                a.getOrDefault("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "knn");
        line.put("k", k);
        line.put("ef", ef);
        line.put("beam", beam);
        line.put("max_conn", maxConn);
        line.put("threads", threads);
        line.put("queries", queries);
        Path graph = Path.of(a.getOrDefault("graph", "graphs/wordnet"));
        Path checkpoint = Path.of(a.getOrDefault("checkpoint", "graphs/wordnet.checkpoint"));
        if (Files.isDirectory(graph) && Files.isDirectory(checkpoint)) {
            TrainedModel model;
            try (TrainedGraph t = TrainedGraph.open(graph, checkpoint)) {
                model = new TrainedModel(t.graph(), t.checkpoint());
            }
            int type = largestType(model);
            Metric metric = Metric.of(model.config.comparator());
            measure(
                    "model",
                    model.positions(type),
                    model.count[type],
                    model.positionDimension(),
                    metric,
                    queries,
                    k,
                    new HnswShape(maxConn, beam, ef),
                    threads,
                    line);
        } else {
            System.err.println("knn benchmark: no checkpoint at " + graph + " / " + checkpoint + "; skipping it");
        }
        int n = Integer.parseInt(a.getOrDefault("vectors", "1000000"));
        if (n > 0) {
            int d = Integer.parseInt(a.getOrDefault("dimension", "100"));
            int clusters = Integer.parseInt(a.getOrDefault("clusters", "1000"));
            double spread = Double.parseDouble(a.getOrDefault("spread", "0.5"));
            Metric metric = Metric.of(ComparatorName.of(a.getOrDefault("metric", "l2")));
            System.err.printf(
                    Locale.ROOT, "knn benchmark: generating %,d × %d vectors in %d clusters ...%n", n, d, clusters);
            float[] generated = GaussianMixture.sample(new Random(7), n, d, clusters, spread);
            measure("generated", generated, n, d, metric, queries, k, new HnswShape(maxConn, beam, ef), threads, line);
        }
        StringBuilder out = new StringBuilder();
        line.forEach((key, value) -> out.append(out.length() == 0 ? "" : " ")
                .append(key)
                .append('=')
                .append(value instanceof Double v ? String.format(Locale.ROOT, "%.4g", v) : value));
        System.out.println(out);
    }

    /** The graph's build parameters and search beam. */
    private record HnswShape(int maxConn, int beam, int ef) {}

    private static void measure(
            String name,
            float[] x,
            int n,
            int d,
            Metric metric,
            int queries,
            int k,
            HnswShape shape,
            int threads,
            Map<String, Object> line)
            throws Exception {
        int nq = Math.min(queries, n);
        Random r = new Random(11);
        int[] self = new int[nq];
        float[] q = new float[nq * d];
        for (int i = 0; i < nq; i++) {
            self[i] = r.nextInt(n);
            System.arraycopy(x, self[i] * d, q, i * d, d);
        }
        ExactKnn exact = new ExactKnn(x, n, d, metric, OpenBlasBackend.bestAvailable(), threads);
        exact.search(q, Math.min(nq, 64), k, self); // warm-up: JIT and native buffers
        long t0 = System.nanoTime();
        Neighbours truth = exact.search(q, nq, k, self);
        double exactSeconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(
                Locale.ROOT,
                "%s: exact %,d queries over %,d × %d (%s) in %.2f s%n",
                name,
                nq,
                n,
                d,
                metric.label(),
                exactSeconds);

        long b0 = System.nanoTime();
        HnswIndex index = HnswIndex.build(x, n, d, metric, shape.maxConn(), shape.beam(), shape.ef(), threads, 42);
        double buildSeconds = (System.nanoTime() - b0) / 1e9;
        System.err.printf(Locale.ROOT, "%s: HNSW built in %.1f s%n", name, buildSeconds);
        concurrently(index, q, Math.min(nq, 100), k, self, threads); // warm-up
        long a0 = System.nanoTime();
        Neighbours approx = concurrently(index, q, nq, k, self, threads);
        double approxSeconds = (System.nanoTime() - a0) / 1e9;
        double recall = approx.recallAgainst(truth);
        System.err.printf(
                Locale.ROOT,
                "%s: approximate %,d queries in %.2f s, recall@%d %.4f%n",
                name,
                nq,
                approxSeconds,
                k,
                recall);
        line.put(name + "_vectors", n);
        line.put(name + "_dimension", d);
        line.put(name + "_metric", metric.label());
        line.put(name + "_exact_qps", nq / exactSeconds);
        line.put(name + "_approx_qps", nq / approxSeconds);
        line.put(name + "_build_s", buildSeconds);
        line.put(name + "_recall", recall);
    }

    /** Single queries on {@code threads} threads, each taking a contiguous slice; results in query order. */
    private static Neighbours concurrently(HnswIndex index, float[] q, int nq, int k, int[] self, int threads)
            throws Exception {
        int d = index.dimension();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Neighbours>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = nq * t / threads;
                int to = nq * (t + 1) / threads;
                parts.add(pool.submit(() -> {
                    int[] rows = new int[(to - from) * k];
                    float[] scores = new float[(to - from) * k];
                    int[] counts = new int[to - from];
                    for (int i = from; i < to; i++) {
                        Neighbours one = index.search(
                                java.util.Arrays.copyOfRange(q, i * d, (i + 1) * d), 1, k, new int[] {self[i]});
                        counts[i - from] = one.count(0);
                        System.arraycopy(one.rows(), 0, rows, (i - from) * k, one.count(0));
                        System.arraycopy(one.scores(), 0, scores, (i - from) * k, one.count(0));
                    }
                    return new Neighbours(k, rows, scores, counts);
                }));
            }
            int[] rows = new int[nq * k];
            float[] scores = new float[nq * k];
            int[] counts = new int[nq];
            for (int t = 0; t < threads; t++) {
                Neighbours part = parts.get(t).get();
                int from = nq * t / threads;
                System.arraycopy(part.rows(), 0, rows, from * k, part.rows().length);
                System.arraycopy(part.scores(), 0, scores, from * k, part.scores().length);
                System.arraycopy(part.counts(), 0, counts, from, part.counts().length);
            }
            return new Neighbours(k, rows, scores, counts);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int largestType(TrainedModel model) {
        int best = 0;
        for (int t = 1; t < model.count.length; t++) {
            best = model.count[t] > model.count[best] ? t : best;
        }
        return best;
    }
}
