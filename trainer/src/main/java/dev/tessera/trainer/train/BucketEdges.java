package dev.tessera.trainer.train;

import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.EdgeColumns;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One bucket's edges in memory as columns, shuffled, then ordered by chunk group within each batch. One instance
 * serves every bucket of a run: its arrays grow to the largest bucket and are reused, so a bucket costs the
 * heap no large arrays (with a small heap they would be humongous objects, which grow it).
 */
final class BucketEdges extends EdgeColumns {
    /** Replaces the contents with a bucket's edges (arrays sized from the graph's per-bucket counts). */
    void read(GraphStore graph, Split split, int lhsPart, int rhsPart) {
        size = 0;
        int count = (int) graph.meta().edgeCount(split, lhsPart, rhsPart);
        if (rel.length < count) {
            rel = new int[count];
            lhs = new int[count];
            rhs = new int[count];
            weight = weight == null ? null : new float[count];
        }
        try (EdgeBlockCursor c = graph.edges(split, lhsPart, rhsPart)) {
            c.readInto(this);
        }
    }

    /**
     * Sets the last {@code heldOut} edges aside as the evaluation sample, chosen by {@code bucketRandom} (the
     * same every epoch, so held-out edges are never trained on), shuffles the rest with {@code epochRandom},
     * then sorts by {@code groupOf[relation]} inside each batch and inside the sample (a chunk takes
     * consecutive edges of one group; see {@link ModelParameters#chunkGroup}).
     */
    void shuffle(SplittableRandom bucketRandom, SplittableRandom epochRandom, int batchSize, int heldOut,
                 int[] groupOf) {
        for (int i = size - 1; i > 0; i--) {
            swap(i, bucketRandom.nextInt(i + 1));
        }
        int trained = size - heldOut;
        for (int i = trained - 1; i > 0; i--) {
            swap(i, epochRandom.nextInt(i + 1));
        }
        int maxGroup = 0;
        for (int g : groupOf) {
            maxGroup = Math.max(maxGroup, g);
        }
        int longest = Math.max(Math.min(batchSize, trained), heldOut);
        GroupSort sort = new GroupSort(groupOf, maxGroup, longest, weight != null);
        for (int from = 0; from < trained; from += batchSize) {
            sort.apply(from, Math.min(trained, from + batchSize));
        }
        sort.apply(trained, size);
    }

    /**
     * A stable counting sort of a range by chunk group, through scratch arrays reused for every batch of a
     * bucket: stable so the shuffle's order survives within a group, and primitive because a bucket of
     * millions of edges sorted through boxed indices allocated more per epoch than everything else.
     */
    private final class GroupSort {
        private final int[] groupOf;
        private final int[] start;
        private final int[] r;
        private final int[] l;
        private final int[] h;
        private final float[] w;

        GroupSort(int[] groupOf, int maxGroup, int longest, boolean weighted) {
            this.groupOf = groupOf;
            start = new int[maxGroup + 2];
            r = new int[longest];
            l = new int[longest];
            h = new int[longest];
            w = weighted ? new float[longest] : null;
        }

        void apply(int from, int to) {
            int lo = Integer.MAX_VALUE;
            int hi = -1;
            for (int i = from; i < to; i++) {
                lo = Math.min(lo, groupOf[rel[i]]);
                hi = Math.max(hi, groupOf[rel[i]]);
            }
            if (hi <= lo) {
                return;
            }
            Arrays.fill(start, lo, hi + 2, 0);
            for (int i = from; i < to; i++) {
                start[groupOf[rel[i]] + 1]++;
            }
            for (int k = lo + 1; k <= hi + 1; k++) {
                start[k] += start[k - 1];
            }
            for (int i = from; i < to; i++) {
                int at = start[groupOf[rel[i]]]++;
                r[at] = rel[i];
                l[at] = lhs[i];
                h[at] = rhs[i];
                if (w != null) {
                    w[at] = weight[i];
                }
            }
            int n = to - from;
            System.arraycopy(r, 0, rel, from, n);
            System.arraycopy(l, 0, lhs, from, n);
            System.arraycopy(h, 0, rhs, from, n);
            if (w != null) {
                System.arraycopy(w, 0, weight, from, n);
            }
        }
    }

    private void swap(int i, int j) {
        int t = rel[i];
        rel[i] = rel[j];
        rel[j] = t;
        t = lhs[i];
        lhs[i] = lhs[j];
        lhs[j] = t;
        t = rhs[i];
        rhs[i] = rhs[j];
        rhs[j] = t;
        if (weight != null) {
            float f = weight[i];
            weight[i] = weight[j];
            weight[j] = f;
        }
    }
}
