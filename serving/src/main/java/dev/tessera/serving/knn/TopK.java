package dev.tessera.serving.knn;

/**
 * The k best (row, score) pairs seen so far for one query, as a bounded binary min-heap over primitive
 * arrays (no boxing: exact search offers every candidate of every query). Order is total, so results are
 * deterministic: a higher score is better, and among equal scores the lower row.
 */
final class TopK {
    private final int k;
    private final int[] rows;
    private final float[] scores;
    private int size;

    TopK(int k) {
        this.k = k;
        this.rows = new int[k];
        this.scores = new float[k];
    }

    /** Whether (row, score) would enter: the cheap test the scan makes before {@link #offer}. */
    boolean accepts(int row, float score) {
        return size < k || better(score, row, scores[0], rows[0]);
    }

    void offer(int row, float score) {
        if (size < k) {
            rows[size] = row;
            scores[size] = score;
            up(size++);
        } else if (better(score, row, scores[0], rows[0])) {
            rows[0] = row;
            scores[0] = score;
            down(0);
        }
    }

    /** Adds everything another heap holds (for merging candidate shards of one query). */
    void addAll(TopK other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.rows[i], other.scores[i]);
        }
    }

    int size() {
        return size;
    }

    /** The score a candidate must reach to be kept: the lowest held once the heap is full, else −∞. */
    float floor() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    /** Empties the heap into {@code outRows}/{@code outScores} from {@code off}, best first; returns the count. */
    int drain(int[] outRows, float[] outScores, int off) {
        int n = size;
        while (size > 0) {
            int last = --size;
            outRows[off + last] = rows[0];
            outScores[off + last] = scores[0];
            rows[0] = rows[last];
            scores[0] = scores[last];
            down(0);
        }
        return n;
    }

    static boolean better(float s1, int r1, float s2, int r2) {
        return s1 > s2 || s1 == s2 && r1 < r2;
    }

    private void up(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!better(scores[parent], rows[parent], scores[i], rows[i])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void down(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int worst = l;
            int r = l + 1;
            if (r < size && better(scores[l], rows[l], scores[r], rows[r])) {
                worst = r;
            }
            if (!better(scores[i], rows[i], scores[worst], rows[worst])) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int a, int b) {
        int r = rows[a];
        rows[a] = rows[b];
        rows[b] = r;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }
}
