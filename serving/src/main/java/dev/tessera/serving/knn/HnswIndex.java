package dev.tessera.serving.knn;

import dev.tessera.storage.HnswGraphFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Approximate k-nearest-neighbour search on an HNSW graph: built by Lucene in memory from the vectors with as
 * many builder threads as asked, kept as plain arrays ({@link HnswGraphFile.Layers}) that {@link HnswIndexFiles}
 * saves beside a checkpoint and reads back instead of building again, and searched by {@link GraphSearch}.
 * Lucene's build similarity follows the metric: inner product is {@code MAXIMUM_INNER_PRODUCT} (Lucene's
 * {@code DOT_PRODUCT} is only correct on unit vectors), Euclidean is {@code EUCLIDEAN}, and cosine is
 * {@code DOT_PRODUCT} on rows normalised once here, which ranks exactly as {@code COSINE} but does not
 * re-normalise both rows at every comparison of the build.
 *
 * <p>A search collects the {@code ef} best nodes the graph walk finds (ef ≥ k: a wider beam trades speed
 * for recall) and returns the k best, scored again with the metric itself, so scores mean what
 * {@link ExactKnn}'s mean. Safe for concurrent searches.
 */
public final class HnswIndex implements NeighbourIndex {
    /** Lucene's defaults: 16 neighbours per node (32 on the bottom level), a build beam of 100. */
    public static final int DEFAULT_MAX_CONN = HnswGraphBuilder.DEFAULT_MAX_CONN;

    public static final int DEFAULT_BEAM_WIDTH = HnswGraphBuilder.DEFAULT_BEAM_WIDTH;
    /** Search beam: measured on WordNet and 1M clustered vectors to give recall@10 ≥ 0.95 (KnnBenchmark). */
    public static final int DEFAULT_EF = 100;

    private final int d;
    private final Metric metric;
    private final float[][] rows;
    private final HnswGraphFile.Layers layers;
    private final GraphSearch graphSearch;
    private final int ef;

    private HnswIndex(
            int d, Metric metric, float[][] rows, HnswGraphFile.Layers layers, GraphSearch graphSearch, int ef) {
        this.d = d;
        this.metric = metric;
        this.rows = rows;
        this.layers = layers;
        this.graphSearch = graphSearch;
        this.ef = ef;
    }

    private HnswIndex(int d, Metric metric, float[][] rows, HnswGraphFile.Layers layers, int ef) {
        this(d, metric, rows, layers, new GraphSearch(layers, rows, metric), ef);
    }

    /** An index with Lucene's default graph shape and {@link #DEFAULT_EF}, built on {@code threads} threads. */
    public static HnswIndex build(float[] vectors, int n, int d, Metric metric, int threads) {
        return build(vectors, n, d, metric, DEFAULT_MAX_CONN, DEFAULT_BEAM_WIDTH, DEFAULT_EF, threads, 42);
    }

    /**
     * Builds the graph over rows {@code vectors[i·d, (i+1)·d)}, {@code i < n} (copied).
     *
     * @param maxConn   neighbours per node on the upper levels (twice that on the bottom one)
     * @param beamWidth candidates considered when a node's neighbours are chosen
     * @param ef        candidates a search collects before the k best are taken
     */
    public static HnswIndex build(
            float[] vectors, int n, int d, Metric metric, int maxConn, int beamWidth, int ef, int threads, long seed) {
        float[][] rows = rows(vectors, n, d, metric);
        checkEf(ef);
        RandomAccessVectorValues.Floats values = RandomAccessVectorValues.fromFloats(Arrays.asList(rows), d);
        VectorSimilarityFunction similarity = similarity(metric);
        try {
            RandomVectorScorerSupplier scorers =
                    DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(similarity, values);
            HnswGraphBuilder serial = HnswGraphBuilder.create(scorers, maxConn, beamWidth, seed, n);
            OnHeapHnswGraph graph;
            if (threads <= 1 || n < 10_000) {
                graph = serial.build(n);
            } else {
                // The concurrent builder fills the (still empty) graph the serial builder made: Lucene offers
                // no public constructor of an empty graph, and this is how its merges fill one.
                ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "hnsw-build");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    graph = new HnswConcurrentMergeBuilder(
                                    new TaskExecutor(pool),
                                    threads,
                                    scorers,
                                    maxConn,
                                    beamWidth,
                                    serial.getGraph(),
                                    new FixedBitSet(Math.max(1, n)))
                            .build(n);
                } finally {
                    pool.shutdownNow();
                }
            }
            return new HnswIndex(d, metric, rows, layersOf(graph), ef);
        } catch (IOException e) {
            throw new UncheckedIOException("building the HNSW graph failed", e);
        }
    }

    /** An index over the same vectors as a graph saved earlier ({@link #layers}), without building it again. */
    public static HnswIndex restore(float[] vectors, int n, int d, Metric metric, int ef, HnswGraphFile.Layers layers) {
        float[][] rows = rows(vectors, n, d, metric);
        checkEf(ef);
        if (layers.levels() == 0 || layers.starts()[0].length != n + 1) {
            throw new IllegalArgumentException(
                    "a graph of " + (layers.levels() == 0 ? 0 : layers.starts()[0].length - 1) + " rows cannot index "
                            + n + " vectors");
        }
        return new HnswIndex(d, metric, rows, layers, ef);
    }

    /** The graph as arrays, for saving. */
    public HnswGraphFile.Layers layers() {
        return layers;
    }

    /** Rows {@code vectors[i·d, (i+1)·d)}, {@code i < n}, copied (unit rows for cosine). */
    private static float[][] rows(float[] vectors, int n, int d, Metric metric) {
        if (n < 0 || d <= 0 || (long) n * d > vectors.length) {
            throw new IllegalArgumentException(
                    n + " rows of dimension " + d + " do not fit an array of " + vectors.length);
        }
        float[] source = metric == Metric.COSINE ? Metric.normalized(vectors, n, d) : vectors;
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(source, i * d, (i + 1) * d);
        }
        return rows;
    }

    private static VectorSimilarityFunction similarity(Metric metric) {
        return switch (metric) {
            case COSINE -> VectorSimilarityFunction.DOT_PRODUCT;
            case DOT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
            case L2 -> VectorSimilarityFunction.EUCLIDEAN;
        };
    }

    /** The same graph searched with another beam. */
    public HnswIndex withEf(int ef) {
        checkEf(ef);
        return new HnswIndex(d, metric, rows, layers, graphSearch, ef);
    }

    public int ef() {
        return ef;
    }

    @Override
    public int size() {
        return rows.length;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public Metric metric() {
        return metric;
    }

    @Override
    public Neighbours search(float[] queries, int nq, int k, int[] exclude) {
        float[] q = NeighbourIndex.preparedQueries(queries, nq, k, exclude, d, metric);
        int[] outRows = new int[nq * k];
        float[] outScores = new float[nq * k];
        int[] counts = new int[nq];
        for (int i = 0; i < nq; i++) {
            float[] query = Arrays.copyOfRange(q, i * d, (i + 1) * d);
            int skip = exclude == null ? -1 : exclude[i];
            counts[i] = searchOne(query, k, skip, outRows, outScores, i * k);
        }
        return new Neighbours(k, outRows, outScores, counts);
    }

    private int searchOne(float[] query, int k, int skip, int[] outRows, float[] outScores, int off) {
        TopK found = graphSearch.search(query, Math.max(ef, k), skip);
        int[] foundRows = new int[found.size()];
        float[] similarities = new float[found.size()];
        int m = found.drain(foundRows, similarities, 0);
        // The search's similarities rank as the metric does, so its k best (found best first) are the metric's
        // k best: only those are scored again, with the metric itself.
        TopK best = new TopK(k);
        for (int i = 0; i < Math.min(k, m); i++) {
            best.offer(foundRows[i], (float) metric.score(query, 0, rows[foundRows[i]], 0, d));
        }
        return best.drain(outRows, outScores, off);
    }

    /** The graph a build made, as arrays: each level's rows ascending, each row's neighbours as Lucene chose them. */
    private static HnswGraphFile.Layers layersOf(HnswGraph graph) throws IOException {
        int levels = graph.numLevels();
        int[][] nodes = new int[levels][];
        int[][] starts = new int[levels][];
        int[][] neighbours = new int[levels][];
        for (int l = 0; l < levels; l++) {
            int[] onLevel = HnswGraph.NodesIterator.getSortedNodes(graph.getNodesOnLevel(l));
            nodes[l] = l == 0 ? null : onLevel;
            starts[l] = new int[onLevel.length + 1];
            int[] out = new int[Math.max(16, onLevel.length * 4)];
            int size = 0;
            for (int i = 0; i < onLevel.length; i++) {
                graph.seek(l, onLevel[i]);
                for (int v = graph.nextNeighbor(); v != DocIdSetIterator.NO_MORE_DOCS; v = graph.nextNeighbor()) {
                    if (size == out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    out[size++] = v;
                }
                starts[l][i + 1] = size;
            }
            neighbours[l] = Arrays.copyOf(out, size);
        }
        return new HnswGraphFile.Layers(graph.size() == 0 ? 0 : graph.entryNode(), nodes, starts, neighbours);
    }

    private static void checkEf(int ef) {
        if (ef <= 0) {
            throw new IllegalArgumentException("ef must be positive, got " + ef);
        }
    }
}
