package dev.tessera.serving.knn;

import dev.tessera.storage.HnswGraphFile;
import java.util.Arrays;

/**
 * HNSW's search over a layered graph and its rows: greedy descent through the upper levels from the entry
 * node, then a best-first walk of level 0 that keeps the {@code ef} best rows it meets. Written for
 * {@code float[]} rows rather than through Lucene's searcher, which on Java 17 cost twice FAISS's time per query
 * (KnnBenchmark): similarities are plain loops with four accumulators, visited rows are marked in a per-thread
 * array with a generation (nothing to clear between queries), and the frontier and the results are primitive
 * heaps, so a query allocates only its results. Safe for concurrent searches: the graph and rows are only read.
 */
final class GraphSearch {
    private final HnswGraphFile.Layers layers;
    private final float[][] rows;
    private final boolean l2;
    private final ThreadLocal<Scratch> scratch;

    /** Searches rows compared as the graph was built: by negated squared distance for L2, else inner product. */
    GraphSearch(HnswGraphFile.Layers layers, float[][] rows, Metric metric) {
        this.layers = layers;
        this.rows = rows;
        this.l2 = metric == Metric.L2;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(rows.length));
    }

    /**
     * The {@code ef} best rows for {@code query} (a row of the set's dimension; unit length for cosine), by the
     * similarity the graph was built with. Row {@code skip} (or none, if negative) is walked but not returned.
     */
    TopK search(float[] query, int ef, int skip) {
        TopK results = new TopK(ef);
        if (rows.length == 0) {
            return results;
        }
        int entry = layers.entryNode();
        float entrySimilarity = similarity(query, rows[entry]);
        for (int level = layers.levels() - 1; level >= 1; level--) {
            int[] starts = layers.starts()[level];
            int[] neighbours = layers.neighbours()[level];
            boolean moved = true;
            while (moved) {
                moved = false;
                int i = Arrays.binarySearch(layers.nodes()[level], entry);
                for (int j = starts[i]; j < starts[i + 1]; j++) {
                    float s = similarity(query, rows[neighbours[j]]);
                    if (s > entrySimilarity) {
                        entry = neighbours[j];
                        entrySimilarity = s;
                        moved = true;
                    }
                }
            }
        }
        Scratch s = scratch.get();
        int generation = s.nextGeneration();
        Frontier frontier = s.frontier;
        frontier.clear();
        s.visited[entry] = generation;
        frontier.push(entry, entrySimilarity);
        if (entry != skip) {
            results.offer(entry, entrySimilarity);
        }
        int[] starts = layers.starts()[0];
        int[] neighbours = layers.neighbours()[0];
        while (frontier.size() > 0) {
            float best = frontier.topScore();
            int node = frontier.pop();
            if (best < results.floor()) {
                break; // nothing left on the frontier can improve the results
            }
            for (int j = starts[node]; j < starts[node + 1]; j++) {
                int v = neighbours[j];
                if (s.visited[v] == generation) {
                    continue;
                }
                s.visited[v] = generation;
                float sv = similarity(query, rows[v]);
                if (results.size() < ef || sv > results.floor()) {
                    frontier.push(v, sv);
                    if (v != skip) {
                        results.offer(v, sv);
                    }
                }
            }
        }
        return results;
    }

    private float similarity(float[] q, float[] row) {
        return l2 ? -squaredDistance(q, row) : dot(q, row);
    }

    static float dot(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (int end = a.length & ~3; i < end; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float squaredDistance(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (int end = a.length & ~3; i < end; i += 4) {
            float d0 = a[i] - b[i];
            float d1 = a[i + 1] - b[i + 1];
            float d2 = a[i + 2] - b[i + 2];
            float d3 = a[i + 3] - b[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < a.length; i++) {
            float d0 = a[i] - b[i];
            s0 += d0 * d0;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** A thread's marks of visited rows (by generation) and its frontier, reused across its queries. */
    private static final class Scratch {
        final int[] visited;
        final Frontier frontier = new Frontier();
        int generation;

        Scratch(int rows) {
            visited = new int[rows];
        }

        int nextGeneration() {
            if (++generation == Integer.MAX_VALUE) {
                Arrays.fill(visited, 0);
                generation = 1;
            }
            return generation;
        }
    }

    /** The rows still to expand, best first: a binary max-heap over primitive arrays. */
    private static final class Frontier {
        private int[] rows = new int[64];
        private float[] scores = new float[64];
        private int size;

        void clear() {
            size = 0;
        }

        int size() {
            return size;
        }

        float topScore() {
            return scores[0];
        }

        void push(int row, float score) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
                scores = Arrays.copyOf(scores, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (scores[parent] >= score) {
                    break;
                }
                rows[i] = rows[parent];
                scores[i] = scores[parent];
                i = parent;
            }
            rows[i] = row;
            scores[i] = score;
        }

        /** Removes the best row and returns it. */
        int pop() {
            int top = rows[0];
            int lastRow = rows[--size];
            float lastScore = scores[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && scores[child + 1] > scores[child]) {
                    child++;
                }
                if (scores[child] <= lastScore) {
                    break;
                }
                rows[i] = rows[child];
                scores[i] = scores[child];
                i = child;
            }
            rows[i] = lastRow;
            scores[i] = lastScore;
            return top;
        }
    }
}
