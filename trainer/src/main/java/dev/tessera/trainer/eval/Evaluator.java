package dev.tessera.trainer.eval;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.trainer.backend.DenseBackend;
import dev.tessera.trainer.model.Comparator;
import dev.tessera.trainer.export.TrainedModel;
import dev.tessera.trainer.model.Operator;
import dev.tessera.trainer.train.ModelParameters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Link-prediction evaluation of a checkpoint: every edge of a split ranked against all entities of the
 * corrupted side's type, both sides. Filtered ranking removes every other known true edge (of any split)
 * from the candidates. Scores are computed in blocks with the backend's products, a relation at a time.
 * Holds all embeddings of the evaluated types in memory: for graphs that do not fit, evaluate sampled.
 */
public final class Evaluator {
    private static final int QUERY_BLOCK = 256;

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
        this.comparator = Comparator.of(config.getString("comparator"), config.getBool("bias"));
        this.params = model.params;
        this.embeddings = model.embeddings;
        this.count = model.count;
    }

    /** Edges of a split as global (per type) ids: rel, lhs, rhs. */
    private List<int[]> edges(Split split) {
        List<int[]> out = new ArrayList<>();
        int p = meta.numPartitions();
        for (int l = 0; l < p; l++) {
            for (int r = 0; r < p; r++) {
                try (EdgeBlockCursor c = graph.edges(split, l, r)) {
                    while (c.hasNext()) {
                        EdgeBlock b = c.next();
                        for (int i = 0; i < b.size(); i++) {
                            int rel = b.rel()[i];
                            int lt = params.lhsType[rel];
                            int rt = params.rhsType[rel];
                            out.add(new int[] {rel, model.row(lt, l, b.lhs()[i]), model.row(rt, r, b.rhs()[i])});
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Ranks up to {@code limit} edges of {@code split} (all if limit ≤ 0, else an evenly spaced subset);
     * returns the overall metrics, {@code filtered}, and a per-relation breakdown.
     */
    public Map<String, Object> evaluate(Split split, boolean filtered, int limit) {
        List<int[]> queries = edges(split);
        if (limit > 0 && queries.size() > limit) {
            List<int[]> subset = new ArrayList<>(limit);
            for (int i = 0; i < limit; i++) {
                subset.add(queries.get((int) ((long) i * queries.size() / limit)));
            }
            queries = subset;
        }
        Map<Long, Set<Integer>> trueTails = new HashMap<>();
        Map<Long, Set<Integer>> trueHeads = new HashMap<>();
        if (filtered) {
            for (Split s : Split.values()) {
                for (int[] e : edges(s)) {
                    trueTails.computeIfAbsent(pair(e[0], e[1]), k -> new HashSet<>()).add(e[2]);
                    trueHeads.computeIfAbsent(pair(e[0], e[2]), k -> new HashSet<>()).add(e[1]);
                }
            }
        }
        Map<Integer, List<int[]>> byRelation = new LinkedHashMap<>();
        for (int[] q : queries) {
            byRelation.computeIfAbsent(q[0], k -> new ArrayList<>()).add(q);
        }
        RankingMetrics all = new RankingMetrics();
        Map<String, Object> perRelation = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<int[]>> e : byRelation.entrySet()) {
            RankingMetrics m = new RankingMetrics();
            rankRelation(e.getKey(), e.getValue(), trueTails, trueHeads, m);
            all.merge(m);
            perRelation.put(config.relations().get(e.getKey()).name(), m.toMap());
        }
        Map<String, Object> out = all.toMap();
        out.put("filtered", filtered);
        out.put("split", split.label());
        out.put("per_relation", perRelation);
        return out;
    }

    private void rankRelation(int rel, List<int[]> qs, Map<Long, Set<Integer>> trueTails,
                              Map<Long, Set<Integer>> trueHeads, RankingMetrics m) {
        int lt = params.lhsType[rel];
        int rt = params.rhsType[rel];
        Operator op = params.operators[rel];
        // Head side: queries prepared(op(t)) against prepared(h) for every h. Tail side: queries prepared(h)
        // against prepared(op(t)) for every t, or with dynamic relations prepared(op⁻(h)) against prepared(t).
        float[] heads = new float[count[lt] * d];
        comparator.prepare(embeddings[lt], heads, count[lt], d);
        float[] headQueries = new float[count[rt] * d];
        op.forward(params.relation[rel], embeddings[rt], headQueries, count[rt], d);
        comparator.prepare(headQueries, headQueries, count[rt], d);
        float[] tails = headQueries;
        float[] tailQueries = heads;
        if (params.dynamicRelations()) {
            tails = new float[count[rt] * d];
            comparator.prepare(embeddings[rt], tails, count[rt], d);
            tailQueries = new float[count[lt] * d];
            op.forward(params.reciprocal[rel], embeddings[lt], tailQueries, count[lt], d);
            comparator.prepare(tailQueries, tailQueries, count[lt], d);
        }
        for (int from = 0; from < qs.size(); from += QUERY_BLOCK) {
            int n = Math.min(QUERY_BLOCK, qs.size() - from);
            float[] hq = new float[n * d];
            float[] tq = new float[n * d];
            for (int i = 0; i < n; i++) {
                int[] q = qs.get(from + i);
                System.arraycopy(tailQueries, q[1] * d, hq, i * d, d);
                System.arraycopy(headQueries, q[2] * d, tq, i * d, d);
            }
            float[] tailScores = new float[n * count[rt]];
            comparator.all(backend, hq, tails, tailScores, n, count[rt], d);
            float[] headScores = new float[n * count[lt]];
            comparator.all(backend, tq, heads, headScores, n, count[lt], d);
            for (int i = 0; i < n; i++) {
                int[] q = qs.get(from + i);
                rank(tailScores, i, count[rt], q[2], trueTails.get(pair(rel, q[1])), m);
                rank(headScores, i, count[lt], q[1], trueHeads.get(pair(rel, q[2])), m);
            }
        }
    }

    /** Rank of {@code target} in row i: 1 + better candidates + half the ties, skipping other true ones. */
    private static void rank(float[] scores, int i, int n, int target, Set<Integer> known, RankingMetrics m) {
        float s = scores[i * n + target];
        long better = 0;
        long ties = 0;
        long negatives = 0;
        for (int j = 0; j < n; j++) {
            if (j == target || known != null && known.contains(j)) {
                continue;
            }
            float v = scores[i * n + j];
            negatives++;
            if (v > s) {
                better++;
            } else if (v == s) {
                ties++;
            }
        }
        double rank = 1 + better + ties / 2.0;
        m.add(rank, negatives == 0 ? 1 : 1 - (better + ties / 2.0) / negatives);
    }

    private static long pair(int a, int b) {
        return (long) a << 32 | (b & 0xffffffffL);
    }
}
