package dev.tessera.serving.knn;

import dev.tessera.model.backend.DenseBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact k-nearest-neighbour search as blocked matrix products: a block of queries times a block of
 * candidates is one SGEMM, and each query keeps a bounded heap of its best candidates, so the scan runs at
 * the machine's GEMM rate instead of one dot product at a time. Cosine is inner product on unit rows;
 * Euclidean ranks by {@code 2·q·c − ‖c‖²} (the query's own norm is the same for every candidate). The k
 * found per query are then scored once more by the metric itself, in double precision. Work is split over
 * threads by query blocks, and by candidate shards when there are fewer query blocks than threads (a single
 * query still uses every core).
 *
 * <p>Immutable after construction: safe for concurrent searches.
 */
public final class ExactKnn implements NeighbourIndex {
    /** Queries per product: enough rows that SGEMM reaches its rate, few enough to keep scores in cache. */
    static final int QUERY_BLOCK = 256;
    /** Candidates per product: 2048 × 256 scores are 2 MB, the query block's heaps stay cache resident. */
    static final int CANDIDATE_BLOCK = 2048;

    private final int n;
    private final int d;
    private final Metric metric;
    private final DenseBackend backend;
    private final int threads;
    /** Candidate rows in blocks of {@link #CANDIDATE_BLOCK} (unit length for cosine), each from offset 0. */
    private final float[][] blocks;
    /** ‖c‖² per candidate, for Euclidean only. */
    private final float[] squaredNorms;

    /**
     * An index over rows {@code vectors[i·d, (i+1)·d)}, {@code i < n}; the rows are copied (in blocks, unit
     * length for cosine), so the caller's array may change afterwards.
     */
    public ExactKnn(float[] vectors, int n, int d, Metric metric, DenseBackend backend, int threads) {
        if (n < 0 || d <= 0 || (long) n * d > vectors.length) {
            throw new IllegalArgumentException(
                    n + " rows of dimension " + d + " do not fit an array of " + vectors.length);
        }
        this.n = n;
        this.d = d;
        this.metric = metric;
        this.backend = backend;
        this.threads = Math.max(1, threads);
        float[] rows = metric == Metric.COSINE ? Metric.normalized(vectors, n, d) : vectors;
        blocks = new float[(n + CANDIDATE_BLOCK - 1) / CANDIDATE_BLOCK][];
        for (int b = 0; b < blocks.length; b++) {
            int from = b * CANDIDATE_BLOCK;
            int count = Math.min(CANDIDATE_BLOCK, n - from);
            blocks[b] = new float[count * d];
            System.arraycopy(rows, from * d, blocks[b], 0, count * d);
        }
        squaredNorms = metric == Metric.L2 ? squaredNorms(vectors, n, d) : null;
    }

    @Override
    public int size() {
        return n;
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
        int queryBlocks = (nq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        int shards = Math.max(1, Math.min(blocks.length, threads / Math.max(1, queryBlocks)));
        List<Task> tasks = new ArrayList<>();
        for (int qb = 0; qb < queryBlocks; qb++) {
            for (int s = 0; s < shards; s++) {
                tasks.add(new Task(
                        qb * QUERY_BLOCK,
                        Math.min(nq, (qb + 1) * QUERY_BLOCK),
                        blocks.length * s / shards,
                        blocks.length * (s + 1) / shards));
            }
        }
        TopK[][] found = run(tasks, q, k, exclude);
        int[] rows = new int[nq * k];
        float[] scores = new float[nq * k];
        int[] counts = new int[nq];
        for (int t = 0; t < tasks.size(); t += shards) {
            Task first = tasks.get(t);
            for (int i = 0; i < first.to - first.from; i++) {
                TopK merged = found[t][i];
                for (int s = 1; s < shards; s++) {
                    merged.addAll(found[t + s][i]);
                }
                int query = first.from + i;
                counts[query] = merged.drain(rows, scores, query * k);
            }
        }
        for (int query = 0; query < nq; query++) {
            rescore(q, query, rows, scores, query * k, counts[query]);
        }
        return new Neighbours(k, rows, scores, counts);
    }

    /**
     * Replaces the ranking values of one query's results by the metric's score in double precision, and
     * restores best-first order among near ties. The products only decide who is in the top k: for
     * Euclidean, {@code ‖q‖² + ‖c‖² − 2·q·c} cancels badly near 0, and the square root magnifies that into
     * visible errors (a row's distance to itself came out as 0.002), which reported distances must not show.
     */
    private void rescore(float[] q, int query, int[] rows, float[] scores, int off, int count) {
        for (int i = 0; i < count; i++) {
            int row = rows[off + i];
            scores[off + i] =
                    (float) metric.score(q, query * d, blocks[row / CANDIDATE_BLOCK], (row % CANDIDATE_BLOCK) * d, d);
        }
        for (int i = 1; i < count; i++) {
            int row = rows[off + i];
            float score = scores[off + i];
            int j = i - 1;
            for (; j >= 0 && TopK.better(score, row, scores[off + j], rows[off + j]); j--) {
                rows[off + j + 1] = rows[off + j];
                scores[off + j + 1] = scores[off + j];
            }
            rows[off + j + 1] = row;
            scores[off + j + 1] = score;
        }
    }

    /** One query block against a range of candidate blocks. */
    private record Task(int from, int to, int firstBlock, int endBlock) {}

    private TopK[][] run(List<Task> tasks, float[] q, int k, int[] exclude) {
        TopK[][] out = new TopK[tasks.size()][];
        if (tasks.size() == 1 || threads == 1) {
            for (int t = 0; t < tasks.size(); t++) {
                out[t] = scan(tasks.get(t), q, k, exclude);
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), r -> {
            Thread th = new Thread(r, "exact-knn");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<TopK[]>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> scan(task, q, k, exclude)));
            }
            for (int t = 0; t < futures.size(); t++) {
                out[t] = futures.get(t).get();
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("neighbour search interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private TopK[] scan(Task task, float[] q, int k, int[] exclude) {
        int nq = task.to - task.from;
        float[] queryBlock = new float[nq * d];
        System.arraycopy(q, task.from * d, queryBlock, 0, nq * d);
        TopK[] heaps = new TopK[nq];
        for (int i = 0; i < nq; i++) {
            heaps[i] = new TopK(k);
        }
        float[] products = new float[nq * CANDIDATE_BLOCK];
        for (int b = task.firstBlock; b < task.endBlock; b++) {
            int base = b * CANDIDATE_BLOCK;
            int m = blocks[b].length / d;
            backend.abT(queryBlock, blocks[b], products, nq, m, d, false);
            for (int i = 0; i < nq; i++) {
                TopK heap = heaps[i];
                int skip = exclude == null ? -1 : exclude[task.from + i] - base;
                int o = i * m;
                // Most candidates fall below the heap's worst score: compare with it held in a local, and ask
                // the heap (which also breaks ties by row) only for those that reach it.
                float worst = heap.floor();
                for (int j = 0; j < m; j++) {
                    float v = squaredNorms == null ? products[o + j] : 2 * products[o + j] - squaredNorms[base + j];
                    if (v >= worst && j != skip && heap.accepts(base + j, v)) {
                        heap.offer(base + j, v);
                        worst = heap.floor();
                    }
                }
            }
        }
        return heaps;
    }

    private static float[] squaredNorms(float[] x, int n, int d) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = squaredNorm(x, i * d, d);
        }
        return out;
    }

    private static float squaredNorm(float[] x, int off, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += (double) x[off + k] * x[off + k];
        }
        return (float) s;
    }
}
