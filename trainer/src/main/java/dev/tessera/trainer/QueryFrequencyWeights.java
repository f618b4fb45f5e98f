package dev.tessera.trainer;

import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.EdgeColumns;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code subsampling_weights}: RotatE's count-based subsampling (Sun et al. 2019; their code's {@code
 * subsampling_weight}). A training edge (h, r, t) weighs {@code 1/√(n(h, r) + n(r, t) + 6)}, where n counts the
 * training edges with the same head and relation, or the same relation and tail (their code starts each count at
 * 4): the edges of a query with many answers, such as a general concept's hundreds of hyponyms, weigh less each,
 * so the loss is not spent mostly on them. The weights are scaled to average 1 over the training edges, so the
 * learning rate keeps its meaning (their code normalises each batch's weights instead), and multiply the graph's
 * own edge weights.
 *
 * <p>The counts are global, so a partitioned run weighs an edge as an unpartitioned one does: one pass over every
 * training bucket counts, a second sums the weights. Queries asked by one edge only are not stored (a missed
 * lookup is a count of 1), which keeps what stays in memory after counting at most 12 bytes a training edge
 * (counting takes 16). Each bucket's weights are looked up again whenever it is read: two binary searches an
 * edge, next to the thousand negatives each edge is scored against.
 */
final class QueryFrequencyWeights {
    /** Their code counts each query from 4, 3 more than its edges: 3 for each of an edge's two queries. */
    private static final int PRIOR = 6;

    private final int relations;
    /** First global row of each (type, partition): a query's key is its row's global index × relations + r. */
    private final long[][] rowBase;

    private final int[] lhsType;
    private final int[] rhsType;
    private long[] headKeys;
    private int[] headCounts;
    private long[] tailKeys;
    private int[] tailCounts;
    private double scale = 1;

    private QueryFrequencyWeights(TesseraConfig config, GraphMeta meta) {
        this.relations = config.relations().size();
        this.lhsType = new int[relations];
        this.rhsType = new int[relations];
        for (int r = 0; r < relations; r++) {
            RelationConfig rc = config.relations().get(r);
            lhsType[r] = config.entityTypeId(rc.lhs());
            rhsType[r] = config.entityTypeId(rc.rhs());
        }
        rowBase = new long[config.entities().size()][];
        for (int t = 0; t < rowBase.length; t++) {
            long[] counts = meta.entityCounts(config.entities().get(t).name());
            rowBase[t] = new long[counts.length];
            for (int p = 1; p < counts.length; p++) {
                rowBase[t][p] = rowBase[t][p - 1] + counts[p - 1];
            }
        }
    }

    /** Counts the queries of {@code graph}'s training edges and scales the weights to average 1. */
    static QueryFrequencyWeights count(GraphStore graph, TesseraConfig config) {
        GraphMeta meta = graph.meta();
        long total = meta.edgeCount(Split.TRAIN);
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("subsampling_weights counts the queries of every training edge in "
                    + "memory, at most " + (Integer.MAX_VALUE - 8) + " edges; this graph has " + total);
        }
        long needed = 2L * Long.BYTES * total;
        if (needed > Runtime.getRuntime().maxMemory()) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "subsampling_weights counts the queries of the %,d training edges with %,d MB of heap, but this "
                            + "JVM may use %,d MB; give it more (bin/tessera: TESSERA_JAVA_OPTS=-Xmx...) or train "
                            + "without subsampling_weights",
                    total,
                    needed >> 20,
                    Runtime.getRuntime().maxMemory() >> 20));
        }
        QueryFrequencyWeights w = new QueryFrequencyWeights(config, meta);
        long[] heads = new long[(int) total];
        long[] tails = new long[(int) total];
        int[] n = {0};
        forEachTrainingEdge(graph, (rel, lhsPart, lhs, rhsPart, rhs) -> {
            heads[n[0]] = w.headKey(rel, lhsPart, lhs);
            tails[n[0]++] = w.tailKey(rel, rhsPart, rhs);
        });
        Arrays.parallelSort(heads, 0, n[0]);
        Arrays.parallelSort(tails, 0, n[0]);
        w.headCounts = repeatedCounts(heads, n[0]);
        w.headKeys = heads;
        w.tailCounts = repeatedCounts(tails, n[0]);
        w.tailKeys = tails;
        double[] sum = {0};
        forEachTrainingEdge(
                graph, (rel, lhsPart, lhs, rhsPart, rhs) -> sum[0] += w.rawWeight(rel, lhsPart, lhs, rhsPart, rhs));
        w.headKeys = Arrays.copyOf(heads, w.headCounts.length);
        w.tailKeys = Arrays.copyOf(tails, w.tailCounts.length);
        w.scale = n[0] == 0 ? 1 : n[0] / sum[0];
        return w;
    }

    /** How many distinct (head, relation) and (relation, tail) queries more than one training edge asks. */
    int repeatedQueries() {
        return headKeys.length + tailKeys.length;
    }

    /** Multiplies the weights of {@code edges}, bucket (lhsPart, rhsPart)'s, by their subsampling weights. */
    void weigh(EdgeColumns edges, int lhsPart, int rhsPart) {
        float[] weight = edges.weights();
        for (int e = 0; e < edges.size; e++) {
            weight[e] *= (float) (scale * rawWeight(edges.rel[e], lhsPart, edges.lhs[e], rhsPart, edges.rhs[e]));
        }
    }

    private double rawWeight(int rel, int lhsPart, int lhs, int rhsPart, int rhs) {
        int heads = count(headKeys, headCounts, headKey(rel, lhsPart, lhs));
        int tails = count(tailKeys, tailCounts, tailKey(rel, rhsPart, rhs));
        return 1 / Math.sqrt(heads + tails + PRIOR);
    }

    private long headKey(int rel, int part, int offset) {
        return (rowBase[lhsType[rel]][part] + offset) * relations + rel;
    }

    private long tailKey(int rel, int part, int offset) {
        return (rowBase[rhsType[rel]][part] + offset) * relations + rel;
    }

    private static int count(long[] keys, int[] counts, long key) {
        int at = Arrays.binarySearch(keys, 0, counts.length, key);
        return at >= 0 ? counts[at] : 1;
    }

    /**
     * Compacts sorted {@code keys[0, n)} in place to the keys that occur more than once, in order, and returns
     * their counts (the keys beyond the counts' length are left over).
     */
    private static int[] repeatedCounts(long[] keys, int n) {
        int[] counts = new int[0];
        int kept = 0;
        for (int i = 0, next; i < n; i = next) {
            next = i + 1;
            while (next < n && keys[next] == keys[i]) {
                next++;
            }
            if (next - i > 1) {
                if (kept == counts.length) {
                    counts = Arrays.copyOf(counts, Math.max(16, kept * 2));
                }
                keys[kept] = keys[i];
                counts[kept++] = next - i;
            }
        }
        return Arrays.copyOf(counts, kept);
    }

    /** One edge of a bucket: its relation, and each end's partition and offset. */
    private interface EdgeVisitor {
        void visit(int rel, int lhsPart, int lhs, int rhsPart, int rhs);
    }

    private static void forEachTrainingEdge(GraphStore graph, EdgeVisitor visitor) {
        GraphMeta meta = graph.meta();
        BucketEdges edges = new BucketEdges();
        for (int i = 0; i < meta.numPartitions(); i++) {
            for (int j = 0; j < meta.numPartitions(); j++) {
                if (meta.edgeCount(Split.TRAIN, i, j) == 0) {
                    continue;
                }
                edges.read(graph, Split.TRAIN, i, j);
                for (int e = 0; e < edges.size; e++) {
                    visitor.visit(edges.rel[e], i, edges.lhs[e], j, edges.rhs[e]);
                }
            }
        }
    }
}
