package dev.tessera.trainer.eval;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.util.IntList;
import dev.tessera.model.Comparator;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.RankingSides;
import dev.tessera.model.TrainedModel;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Link-prediction evaluation of a checkpoint: every edge of a split ranked against all entities of the
 * corrupted side's type (or a uniform sample of them), both sides. Filtered ranking removes every other
 * known true edge (of any split) from the candidates. Scores are computed in blocks with the backend's
 * products, a relation at a time. Holds all embeddings of the evaluated types in memory (and, ranking
 * against every entity, one transformed copy per side of the relation being ranked).
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
    private final float[][] embeddings;
    private final int[] count;
    private final TrainedModel model;
    private final ModelParameters params;

    public Evaluator(GraphStore graph, CheckpointStore checkpoints, DenseBackend backend) {
        this.graph = graph;
        this.meta = graph.meta();
        this.backend = backend;
        this.model = new TrainedModel(graph, checkpoints);
        this.config = model.config;
        this.d = model.d;
        this.comparator = Comparator.of(config.comparator(), config.bias());
        this.params = model.params;
        this.embeddings = model.embeddings;
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
        List<int[]> splitEdges = new ArrayList<>();
        forEachEdge(split, (rel, lhs, rhs) -> splitEdges.add(new int[] {rel, lhs, rhs}));
        List<int[]> queries = splitEdges;
        if (limit > 0 && queries.size() > limit) {
            List<int[]> subset = new ArrayList<>(limit);
            for (int i = 0; i < limit; i++) {
                subset.add(queries.get((int) ((long) i * queries.size() / limit)));
            }
            queries = subset;
        }
        KnownEdges knownTails = null;
        KnownEdges knownHeads = null;
        if (filtered) {
            // In columns: every known edge as an int[3] would cost about 40 bytes an edge.
            IntList rels = new IntList();
            IntList lhss = new IntList();
            IntList rhss = new IntList();
            for (Split s : Split.values()) {
                forEachEdge(s, (rel, lhs, rhs) -> {
                    rels.add(rel);
                    lhss.add(lhs);
                    rhss.add(rhs);
                });
            }
            int[] rel = rels.toArray();
            int[] lhs = lhss.toArray();
            int[] rhs = rhss.toArray();
            knownTails = new KnownEdges(rel, lhs, rhs, rel.length);
            knownHeads = new KnownEdges(rel, rhs, lhs, rel.length);
        }
        Map<Integer, List<int[]>> byRelation = new LinkedHashMap<>();
        for (int[] q : queries) {
            byRelation.computeIfAbsent(q[0], k -> new ArrayList<>()).add(q);
        }
        RankingMetrics all = new RankingMetrics();
        Map<String, Object> perRelation = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<int[]>> e : byRelation.entrySet()) {
            RankingMetrics m = new RankingMetrics();
            rankRelation(
                    e.getKey(),
                    e.getValue(),
                    knownTails,
                    knownHeads,
                    sampledNegatives,
                    new SplittableRandom(seed * 1_000_003L + e.getKey()),
                    m);
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

    private void rankRelation(
            int rel,
            List<int[]> qs,
            KnownEdges knownTails,
            KnownEdges knownHeads,
            int sampled,
            SplittableRandom random,
            RankingMetrics m) {
        RankingSides sides = new RankingSides(model, comparator, rel);
        Side tail = new Side(sides::tailQueries, sides::tailCandidates, count[params.rhsType[rel]], knownTails, 1, 2);
        Side head = new Side(sides::headQueries, sides::headCandidates, count[params.lhsType[rel]], knownHeads, 2, 1);
        long candidates = sampled > 0 ? sampled : Math.max(tail.count, head.count);
        int blockSize = (int) Math.max(1, Math.min(QUERY_BLOCK, MAX_BLOCK_SCORES / candidates));
        for (int from = 0; from < qs.size(); from += blockSize) {
            List<int[]> block = qs.subList(from, Math.min(qs.size(), from + blockSize));
            for (Side side : new Side[] {tail, head}) {
                if (sampled > 0) {
                    side.rankSampled(rel, block, sampled, random, m);
                } else {
                    side.rankAll(rel, block, m);
                }
            }
        }
    }

    /**
     * One side of ranking: queries (entities at field {@code q} of each query) against candidates (the true
     * one at field {@code t}). Query rows are computed per block, and sampled ranking computes only the
     * drawn candidates' rows: only ranking against every entity holds a whole candidate matrix (one per
     * side, built on first use), so sampled evaluation of a large graph holds little beyond its embeddings.
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

        void rankSampled(int rel, List<int[]> block, int sampled, SplittableRandom random, RankingMetrics m) {
            int n = block.size();
            int[] drawn = new int[sampled];
            for (int j = 0; j < sampled; j++) {
                drawn[j] = random.nextInt(count);
            }
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
