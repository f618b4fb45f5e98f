package dev.tessera.trainer;

import dev.tessera.model.ModelParameters;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.EdgeColumns;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One bucket's edges in memory as columns, in training order: grouped by chunk group (see
 * {@link ModelParameters#chunkGroup}), shuffled within each group, and cut into batches of one group that
 * train in random order, as PBG batches relation types when relations are not dynamic. One instance serves
 * every bucket of a run: its arrays grow to the largest bucket and are reused, so a bucket costs the heap no
 * large arrays (with a small heap they would be humongous objects, which grow it).
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

    /** Batches of the trained edges in training order: batch k is edges {@code [batchFrom[k], batchTo[k])}. */
    int[] batchFrom = new int[0];

    int[] batchTo = new int[0];
    int batches;
    /** Edges {@code [0, trained)} train; the rest are the held-out sample (set by {@link #shuffle}). */
    int trained;

    // Scratch of groupQueries, grown to the largest chunk group and reused.
    private long[] sortKeys = new long[0];
    private int[] scratchInts = new int[0];
    private float[] scratchFloats = new float[0];
    /** A permutation of a chunk group's edges being sorted. */
    private int[] order = new int[0];

    /**
     * Sets the last {@code heldOut} edges aside as the evaluation sample, chosen by {@code bucketRandom} (the
     * same every epoch, so held-out edges are never trained on), then orders the rest for training with
     * {@code epochRandom}: grouped by {@code groupOf[relation]}, shuffled within each group, and cut into
     * batches of at most {@code batchSize} edges of one group, in random order. Batches used to be runs of
     * the shuffled edges sorted by group, which left most groups a partial chunk in every batch: on WordNet
     * without dynamic relations (18 relations) 56% more chunks than edges / chunk size, each scoring every
     * sampled negative. The sample is grouped too (it is ranked chunk by chunk).
     */
    void shuffle(
            SplittableRandom bucketRandom, SplittableRandom epochRandom, int batchSize, int heldOut, int[] groupOf) {
        shuffle(0, size, bucketRandom);
        trained = size - heldOut;
        int[] groupStart = group(0, trained, groupOf);
        batches = 0;
        for (int g = 0; g + 1 < groupStart.length; g++) {
            shuffle(groupStart[g], groupStart[g + 1], epochRandom);
            for (int from = groupStart[g]; from < groupStart[g + 1]; from += batchSize) {
                addBatch(from, Math.min(groupStart[g + 1], from + batchSize));
            }
        }
        shuffleBatches(epochRandom);
        group(trained, size, groupOf);
    }

    /** Replaces the contents with the trained edges of {@code other}, in their order, and no held-out sample. */
    void copyTrained(BucketEdges other) {
        int n = other.trained;
        if (rel.length < n) {
            rel = new int[n];
            lhs = new int[n];
            rhs = new int[n];
        }
        System.arraycopy(other.rel, 0, rel, 0, n);
        System.arraycopy(other.lhs, 0, lhs, 0, n);
        System.arraycopy(other.rhs, 0, rhs, 0, n);
        if (other.weight == null) {
            weight = null;
        } else {
            if (weight == null || weight.length < n) {
                weight = new float[rel.length];
            }
            System.arraycopy(other.weight, 0, weight, 0, n);
        }
        size = n;
        trained = n;
    }

    /**
     * Reorders the trained edges for one side of {@code k_vs_all}: within each chunk group, the edges that share
     * a query — their relation and their row of {@code queryRows} (the {@code rhs} column for the head side, the
     * {@code lhs} column for the tail side) — lie next to each other, the queries in an order drawn from {@code
     * random}, cut into batches of whole queries (at most {@code batchSize} edges, unless one query has more),
     * which the caller puts in random order. The held-out edges stay where they are.
     */
    void groupQueries(boolean byRhs, SplittableRandom random, int batchSize, int[] groupOf) {
        int[] start = group(0, trained, groupOf);
        int salt = random.nextInt();
        batches = 0;
        int[] rows = byRhs ? rhs : lhs;
        for (int g = 0; g + 1 < start.length; g++) {
            int from = start[g];
            int to = start[g + 1];
            sortByQuery(rows, from, to, salt);
            int batchStart = from;
            for (int q = from, next; q < to; q = next) {
                next = q + 1;
                while (next < to && rows[next] == rows[q] && rel[next] == rel[q]) {
                    next++;
                }
                if (next - batchStart > batchSize && q > batchStart) {
                    addBatch(batchStart, q);
                    batchStart = q;
                }
            }
            if (batchStart < to) {
                addBatch(batchStart, to);
            }
        }
    }

    /**
     * Sorts edges {@code [from, to)} by a salted mix of their query row, then by relation: a stable counting sort
     * by relation, then a primitive sort of the mixed row packed with that position (so ties keep relation
     * order; a hub's run needs no sort of its own), and one permutation of the columns.
     */
    private void sortByQuery(int[] rows, int from, int to, int salt) {
        int n = to - from;
        if (sortKeys.length < n) {
            sortKeys = new long[n];
            scratchInts = new int[n];
            order = new int[n];
        }
        if (weight != null && scratchFloats.length < n) {
            scratchFloats = new float[n];
        }
        byRelation(from, n);
        long[] keys = sortKeys;
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) mix(rows[from + order[i]] ^ salt) << 32) | i;
        }
        Arrays.sort(keys, 0, n);
        for (int i = 0; i < n; i++) {
            scratchInts[i] = order[(int) keys[i]];
        }
        System.arraycopy(scratchInts, 0, order, 0, n);
        permute(rel, from, n);
        permute(lhs, from, n);
        permute(rhs, from, n);
        if (weight != null) {
            float[] t = scratchFloats;
            for (int i = 0; i < n; i++) {
                t[i] = weight[from + order[i]];
            }
            System.arraycopy(t, 0, weight, from, n);
        }
    }

    /** {@link #order}: positions {@code 0 .. n-1} of edges {@code from ..}, by relation (stable). */
    private void byRelation(int from, int n) {
        int relations = 0;
        for (int i = from; i < from + n; i++) {
            relations = Math.max(relations, rel[i] + 1);
        }
        int[] next = new int[relations + 1];
        for (int i = from; i < from + n; i++) {
            next[rel[i] + 1]++;
        }
        for (int r = 1; r <= relations; r++) {
            next[r] += next[r - 1];
        }
        for (int i = 0; i < n; i++) {
            order[next[rel[from + i]]++] = i;
        }
    }

    private void permute(int[] column, int from, int n) {
        int[] t = scratchInts;
        for (int i = 0; i < n; i++) {
            t[i] = column[from + order[i]];
        }
        System.arraycopy(t, 0, column, from, n);
    }

    /** A bijection of the ints that scatters neighbouring values (MurmurHash3's finaliser). */
    private static int mix(int x) {
        x ^= x >>> 16;
        x *= 0x85EBCA6B;
        x ^= x >>> 13;
        x *= 0xC2B2AE35;
        return x ^ (x >>> 16);
    }

    private void shuffleBatches(SplittableRandom random) {
        for (int k = batches - 1; k > 0; k--) {
            int other = random.nextInt(k + 1);
            int f = batchFrom[k];
            int t = batchTo[k];
            batchFrom[k] = batchFrom[other];
            batchTo[k] = batchTo[other];
            batchFrom[other] = f;
            batchTo[other] = t;
        }
    }

    private void addBatch(int from, int to) {
        if (batches == batchFrom.length) {
            batchFrom = Arrays.copyOf(batchFrom, Math.max(16, batches * 2));
            batchTo = Arrays.copyOf(batchTo, batchFrom.length);
        }
        batchFrom[batches] = from;
        batchTo[batches] = to;
        batches++;
    }

    private void shuffle(int from, int to, SplittableRandom random) {
        for (int i = to - 1; i > from; i--) {
            swap(i, from + random.nextInt(i - from + 1));
        }
    }

    /**
     * Sorts edges {@code [from, to)} by group in place (American flag sort: each edge swapped straight into
     * its group's next free slot, so no copy of the bucket is needed; the order within a group is not kept).
     * Returns where each group starts, with {@code to} appended.
     */
    private int[] group(int from, int to, int[] groupOf) {
        int groups = 0;
        for (int g : groupOf) {
            groups = Math.max(groups, g + 1);
        }
        int[] start = new int[groups + 1];
        for (int i = from; i < to; i++) {
            start[groupOf[rel[i]] + 1]++;
        }
        start[0] = from;
        for (int g = 1; g <= groups; g++) {
            start[g] += start[g - 1];
        }
        int[] next = Arrays.copyOf(start, groups);
        for (int g = 0; g < groups; g++) {
            while (next[g] < start[g + 1]) {
                int k = groupOf[rel[next[g]]];
                if (k == g) {
                    next[g]++;
                } else {
                    swap(next[g], next[k]++);
                }
            }
        }
        return start;
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
