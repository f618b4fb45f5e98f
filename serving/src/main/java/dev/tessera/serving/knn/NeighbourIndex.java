package dev.tessera.serving.knn;

/**
 * Nearest-neighbour search over one set of vectors (rows {@code 0..size()-1}) under one {@link Metric}:
 * {@link ExactKnn} scans everything, {@link HnswIndex} walks a graph. Both are safe for concurrent queries.
 */
public interface NeighbourIndex {
    int size();

    int dimension();

    Metric metric();

    /**
     * The k nearest rows of each of {@code nq} queries (row-major in {@code queries}, {@code dimension()}
     * floats each). {@code exclude[q]}, when {@code exclude} is given and the value is not negative, is a
     * row query q must not return (the query entity itself).
     */
    Neighbours search(float[] queries, int nq, int k, int[] exclude);

    /**
     * Checks a search's arguments and returns the queries as the index compares them: unit rows for cosine
     * (a copy), else the given array.
     */
    static float[] preparedQueries(float[] queries, int nq, int k, int[] exclude, int d, Metric metric) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        if (nq < 0 || (long) nq * d > queries.length) {
            throw new IllegalArgumentException(
                    nq + " queries of dimension " + d + " do not fit an array of " + queries.length);
        }
        if (exclude != null && exclude.length < nq) {
            throw new IllegalArgumentException("exclude holds " + exclude.length + " rows for " + nq + " queries");
        }
        return metric == Metric.COSINE ? Metric.normalized(queries, nq, d) : queries;
    }
}
