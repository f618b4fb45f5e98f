package dev.tessera.serving.knn;

/**
 * The result of a batch of neighbour queries: for query q, {@code count(q) ≤ k} rows with their scores
 * (higher is closer), best first, stored row-major in {@code q·k + i}.
 */
public record Neighbours(int k, int[] rows, float[] scores, int[] counts) {
    public int queries() {
        return counts.length;
    }

    public int count(int q) {
        return counts[q];
    }

    public int row(int q, int i) {
        return rows[q * k + i];
    }

    public float score(int q, int i) {
        return scores[q * k + i];
    }

    /**
     * Recall against exact results of the same queries: the share of their rows that these results also
     * hold (recall@k for approximate search).
     */
    public double recallAgainst(Neighbours exact) {
        long hits = 0;
        long total = 0;
        for (int q = 0; q < exact.queries(); q++) {
            java.util.Set<Integer> truth = new java.util.HashSet<>();
            for (int i = 0; i < exact.count(q); i++) {
                truth.add(exact.row(q, i));
            }
            for (int i = 0; i < count(q); i++) {
                hits += truth.contains(row(q, i)) ? 1 : 0;
            }
            total += truth.size();
        }
        return total == 0 ? 1 : (double) hits / total;
    }
}
