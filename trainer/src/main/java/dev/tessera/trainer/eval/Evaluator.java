package dev.tessera.trainer.eval;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.util.IntList;
import dev.tessera.model.Comparator;
import dev.tessera.model.EmbeddingRows;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.RankingSides;
import dev.tessera.model.SelectedRows;
import dev.tessera.model.StoredModel;
import dev.tessera.model.TrainedModel;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Link-prediction evaluation of a checkpoint: every edge of a split ranked against all entities of the
 * corrupted side's type (or a uniform sample of them), both sides. Filtered ranking removes every other
 * known true edge (of any split) from the candidates. Scores are computed in blocks with the backend's
 * products, a relation at a time.
 *
 * <p>Ranking against every entity holds all embeddings of the evaluated types (and one transformed copy per
 * side of the relation being ranked). Ranking against sampled entities holds only the rows it scores (the
 * queries' entities and the drawn candidates, gathered one partition at a time), and filtering keeps only
 * the known edges of the queries' entities: it evaluates models larger than the memory the process may use.
 */
public final class Evaluator {
    private static final int QUERY_BLOCK = 256;
    /** Ranking against every entity scores a block of queries at once: at most this many scores (128 MB). */
    private static final long MAX_BLOCK_SCORES = 32L << 20;

    private final GraphStore graph;
    private final GraphMeta meta;
    private final TesseraConfig config;
    private final DenseBackend backend;
    private final Comparator comparator;
    private final int d;
    private final int[] count;
    private final StoredModel model;
    private final ModelParameters params;

    public Evaluator(GraphStore graph, CheckpointStore checkpoints, DenseBackend backend) {
        this.graph = graph;
        this.meta = graph.meta();
        this.backend = backend;
        this.model = new StoredModel(graph, checkpoints);
        this.config = model.config;
        this.d = model.d;
        this.comparator = Comparator.of(config.comparator(), config.bias());
        this.params = model.params;
        this.count = model.count;
    }

    /** Visits every edge of a split as global (per type) ids. */
    private void forEachEdge(Split split, EdgeVisitor visitor) {
        int p = meta.numPartitions();
        for (int l = 0; l < p; l++) {
            for (int r = 0; r < p; r++) {
                try (EdgeBlockCursor c = graph.edges(split, l, r)) {
                    while (c.hasNext()) {
                        EdgeBlock b = c.next();
                        for (int i = 0; i < b.size(); i++) {
                            int rel = b.rel()[i];
                            visitor.accept(
                                    rel,
                                    model.row(params.lhsType[rel], l, b.lhs()[i]),
                                    model.row(params.rhsType[rel], r, b.rhs()[i]));
                        }
                    }
                }
            }
        }
    }

    private interface EdgeVisitor {
        void accept(int rel, int lhs, int rhs);
    }

    /**
     * Ranks up to {@code limit} edges of {@code split} (all if limit ≤ 0, else an evenly spaced subset)
     * against every entity; returns the overall metrics, {@code filtered}, and a per-relation breakdown.
     */
    public Map<String, Object> evaluate(Split split, boolean filtered, int limit) {
        return evaluate(split, filtered, limit, 0, 0);
    }

    /**
     * As {@link #evaluate(Split, boolean, int)}; with {@code sampledNegatives > 0} each block of queries is
     * ranked against that many entities drawn uniformly (shared by the block, from {@code seed}) instead of
     * every entity, for graphs too large to rank against everything. Filtering then drops sampled
     * candidates that are known true edges.
     */
    public Map<String, Object> evaluate(Split split, boolean filtered, int limit, int sampledNegatives, long seed) {
        List<int[]> queries = queries(split, limit);
        Map<Integer, List<int[]>> byRelation = new LinkedHashMap<>();
        for (int[] q : queries) {
            byRelation.computeIfAbsent(q[0], k -> new ArrayList<>()).add(q);
        }
        KnownEdges knownTails = null;
        KnownEdges knownHeads = null;
        if (filtered) {
            KnownEdges[] known = knownEdges(queries);
            knownTails = known[0];
            knownHeads = known[1];
        }
        Map<Integer, int[][]> draws = new LinkedHashMap<>();
        EmbeddingRows rows;
        if (sampledNegatives > 0) {
            // Drawn before any row is read, so that only the rows scored are gathered.
            IntList[] wanted = new IntList[count.length];
            Arrays.setAll(wanted, t -> new IntList());
            for (Map.Entry<Integer, List<int[]>> e : byRelation.entrySet()) {
                int rel = e.getKey();
                int[][] drawn = draws(rel, e.getValue().size(), sampledNegatives, seed);
                draws.put(rel, drawn);
                for (int b = 0; b < drawn.length; b++) {
                    wanted[b % 2 == 0 ? params.rhsType[rel] : params.lhsType[rel]].addAll(drawn[b]);
                }
                for (int[] q : e.getValue()) {
                    wanted[params.lhsType[rel]].add(q[1]);
                    wanted[params.rhsType[rel]].add(q[2]);
                }
            }
            rows = new SelectedRows(
                    model, Arrays.stream(wanted).map(IntList::toArray).toArray(int[][]::new));
        } else {
            rows = new TrainedModel(model);
        }
        RankingMetrics all = new RankingMetrics();
        Map<String, Object> perRelation = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<int[]>> e : byRelation.entrySet()) {
            RankingMetrics m = new RankingMetrics();
            rankRelation(e.getKey(), e.getValue(), rows, knownTails, knownHeads, draws.get(e.getKey()), m);
            all.merge(m);
            perRelation.put(config.relations().get(e.getKey()).name(), m.toMap());
        }
        Map<String, Object> out = all.toMap();
        out.put("filtered", filtered);
        out.put("sampled_negatives", sampledNegatives);
        out.put("split", split.label());
        out.put("per_relation", perRelation);
        return out;
    }

    /**
     * The split's edges, or with {@code limit > 0} at most that many, evenly spaced: counted in one pass and
     * picked in a second, so that a large split (the training edges) is never held whole.
     */
    private List<int[]> queries(Split split, int limit) {
        long[] total = {0};
        forEachEdge(split, (rel, lhs, rhs) -> total[0]++);
        long wanted = limit > 0 ? Math.min(limit, total[0]) : total[0];
        List<int[]> out = new ArrayList<>((int) Math.min(wanted, 1 << 20));
        long[] index = {0};
        forEachEdge(split, (rel, lhs, rhs) -> {
            // Edge i is the j-th pick when i = floor(j · total / wanted).
            long i = index[0]++;
            if (out.size() < wanted && i == out.size() * total[0] / wanted) {
                out.add(new int[] {rel, lhs, rhs});
            }
        });
        return out;
    }

    /**
     * The known edges (of any split) of the queries' entities, for ranking tails (keyed by relation and head)
     * and heads (by relation and tail), in one pass over the graph's edges.
     */
    private KnownEdges[] knownEdges(List<int[]> queries) {
        KnownOfQueries tails = new KnownOfQueries(queries, 1, 2);
        KnownOfQueries heads = new KnownOfQueries(queries, 2, 1);
        for (Split s : Split.values()) {
            forEachEdge(s, (rel, lhs, rhs) -> {
                int[] edge = {rel, lhs, rhs};
                tails.offer(edge);
                heads.offer(edge);
            });
        }
        return new KnownEdges[] {tails.known(), heads.known()};
    }

    /**
     * The known edges of the queries' entities at field {@code q}, keyed by (relation, that entity), with the
     * entity at field {@code other}: all that filtering one side needs, in columns (every known edge as an
     * int[3] would cost about 40 bytes an edge, and a large graph has far more edges than its evaluation has
     * queries).
     */
    private static final class KnownOfQueries {
        private final int q;
        private final int other;
        private final long[] keys;
        private final IntList rels = new IntList();
        private final IntList ofQuery = new IntList();
        private final IntList others = new IntList();

        KnownOfQueries(List<int[]> queries, int q, int other) {
            this.q = q;
            this.other = other;
            this.keys = queries.stream()
                    .mapToLong(e -> KnownEdges.pair(e[0], e[q]))
                    .sorted()
                    .distinct()
                    .toArray();
        }

        void offer(int[] edge) {
            if (Arrays.binarySearch(keys, KnownEdges.pair(edge[0], edge[q])) >= 0) {
                rels.add(edge[0]);
                ofQuery.add(edge[q]);
                others.add(edge[other]);
            }
        }

        KnownEdges known() {
            return new KnownEdges(rels.toArray(), ofQuery.toArray(), others.toArray(), rels.size());
        }
    }

    /** Queries per block when each is ranked against {@code candidates}. */
    private static int blockSize(long candidates) {
        return (int) Math.max(1, Math.min(QUERY_BLOCK, MAX_BLOCK_SCORES / candidates));
    }

    /**
     * The candidates each block of a relation's queries is ranked against, drawn uniformly from the
     * relation's seed: tails of block b at {@code [2b]}, heads at {@code [2b + 1]}.
     */
    private int[][] draws(int rel, int queries, int sampled, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + rel);
        int blocks = (queries + blockSize(sampled) - 1) / blockSize(sampled);
        int[][] out = new int[2 * blocks][sampled];
        for (int i = 0; i < out.length; i++) {
            int candidates = count[i % 2 == 0 ? params.rhsType[rel] : params.lhsType[rel]];
            for (int j = 0; j < sampled; j++) {
                out[i][j] = random.nextInt(candidates);
            }
        }
        return out;
    }

    private void rankRelation(
            int rel,
            List<int[]> qs,
            EmbeddingRows rows,
            KnownEdges knownTails,
            KnownEdges knownHeads,
            int[][] drawn,
            RankingMetrics m) {
        RankingSides sides = new RankingSides(params, d, rows, comparator, rel);
        Side tail = new Side(sides::tailQueries, sides::tailCandidates, count[params.rhsType[rel]], knownTails, 1, 2);
        Side head = new Side(sides::headQueries, sides::headCandidates, count[params.lhsType[rel]], knownHeads, 2, 1);
        int blockSize = blockSize(drawn != null ? drawn[0].length : Math.max(tail.count, head.count));
        for (int from = 0, b = 0; from < qs.size(); from += blockSize, b++) {
            List<int[]> block = qs.subList(from, Math.min(qs.size(), from + blockSize));
            if (drawn != null) {
                tail.rankSampled(rel, block, drawn[2 * b], m);
                head.rankSampled(rel, block, drawn[2 * b + 1], m);
            } else {
                tail.rankAll(rel, block, m);
                head.rankAll(rel, block, m);
            }
        }
    }

    /**
     * One side of ranking: queries (entities at field {@code q} of each query) against candidates (the true
     * one at field {@code t}). Query rows are computed per block, and sampled ranking computes only the
     * drawn candidates' rows: only ranking against every entity holds a whole candidate matrix (one per
     * side, built on first use).
     */
    private final class Side {
        private final Function<int[], float[]> queryRows;
        private final Function<int[], float[]> candidateRows;
        private final int count;
        private final KnownEdges known;
        private final int q;
        private final int t;
        private float[] allCandidates;

        Side(
                Function<int[], float[]> queryRows,
                Function<int[], float[]> candidateRows,
                int count,
                KnownEdges known,
                int q,
                int t) {
            this.queryRows = queryRows;
            this.candidateRows = candidateRows;
            this.count = count;
            this.known = known;
            this.q = q;
            this.t = t;
        }

        private int[] field(List<int[]> block, int field) {
            int[] out = new int[block.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = block.get(i)[field];
            }
            return out;
        }

        void rankAll(int rel, List<int[]> block, RankingMetrics m) {
            if (allCandidates == null) {
                allCandidates = candidateRows.apply(null);
            }
            int n = block.size();
            float[] scores = new float[n * count];
            comparator.all(backend, queryRows.apply(field(block, q)), allCandidates, scores, n, count, d);
            for (int i = 0; i < n; i++) {
                int target = block.get(i)[t];
                int row = i * count;
                float s = scores[row + target];
                long better = 0;
                long ties = -1; // the target ties with itself
                for (int j = row; j < row + count; j++) {
                    float v = scores[j];
                    better += v > s ? 1 : 0;
                    ties += v == s ? 1 : 0;
                }
                long negatives = count - 1;
                if (known != null) {
                    // Known true candidates are not negatives: take back what they counted.
                    int query = block.get(i)[q];
                    int start = known.start(rel, query);
                    for (int k = start, end = known.end(rel, query, start); k < end; k++) {
                        int other = known.entity(k);
                        if (other != target) {
                            float v = scores[row + other];
                            better -= v > s ? 1 : 0;
                            ties -= v == s ? 1 : 0;
                            negatives--;
                        }
                    }
                }
                add(m, better, ties, negatives);
            }
        }

        void rankSampled(int rel, List<int[]> block, int[] drawn, RankingMetrics m) {
            int n = block.size();
            int sampled = drawn.length;
            float[] queries = queryRows.apply(field(block, q));
            float[] scores = new float[n * sampled];
            comparator.all(backend, queries, candidateRows.apply(drawn), scores, n, sampled, d);
            float[] positive = new float[n];
            comparator.pairs(queries, candidateRows.apply(field(block, t)), positive, n, d);
            for (int i = 0; i < n; i++) {
                int target = block.get(i)[t];
                int query = block.get(i)[q];
                int start = known == null ? 0 : known.start(rel, query);
                int end = known == null ? 0 : known.end(rel, query, start);
                long better = 0;
                long ties = 0;
                long negatives = 0;
                for (int j = 0; j < sampled; j++) {
                    if (drawn[j] == target || known != null && known.contains(start, end, drawn[j])) {
                        continue;
                    }
                    float v = scores[i * sampled + j];
                    better += v > positive[i] ? 1 : 0;
                    ties += v == positive[i] ? 1 : 0;
                    negatives++;
                }
                add(m, better, ties, negatives);
            }
        }
    }

    /** Rank 1 + better candidates + half the ties; AUC the share of negatives scored below (ties half). */
    private static void add(RankingMetrics m, long better, long ties, long negatives) {
        double above = better + ties / 2.0;
        m.add(1 + above, negatives == 0 ? 1 : 1 - above / negatives);
    }
}
