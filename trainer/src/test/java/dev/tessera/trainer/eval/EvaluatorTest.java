package dev.tessera.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.JavaBackend;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-set embeddings on a line, so every rank is known: raw and filtered MRR, Hits and AUC by hand. */
class EvaluatorTest {
    @Test
    void ranksMatchHandComputedValues(@TempDir Path tmp) {
        // 4 entities with 1-d embeddings 1, 2, 3, 4; dot comparator, no operator: score(h, t) = h·t.
        TesseraConfig config = ConfigLoader.parse(
                "entities:\n  e: {}\nrelations:\n  - {name: r, lhs: e, rhs: e}\n"
                        + "dimension: 1\ncomparator: dot\nglobal_emb: false\n",
                "t");
        try (GraphStore g = GraphStore.create(tmp.resolve("g"))) {
            // train: 3 -> 4 (known true); test: 3 -> 2.
            g.putEdgeBlocks(
                    Split.TRAIN, 0, 0, 0, List.of(new EdgeBlock(new int[] {0}, new int[] {2}, new int[] {3}, null)));
            g.putEdgeBlocks(
                    Split.TEST, 0, 0, 0, List.of(new EdgeBlock(new int[] {0}, new int[] {2}, new int[] {1}, null)));
            long[][] one = {{1}};
            long[][] none = {{0}};
            g.writeMeta(new GraphMeta(
                    config,
                    1,
                    Map.of("e", new long[] {4}),
                    Map.of(Split.TRAIN, one, Split.VALID, none, Split.TEST, one),
                    Map.of()));
        }
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), "fp")) {
            ck.writePartition(1, 0, 0, new float[] {1, 2, 3, 4}, new float[4], 4, 1);
            ck.writeParams(1, 0, new float[0], new float[0]);
            ck.writeConfig(config.toJson());
            ck.commit(new Checkpoint(1, 1, new int[][] {{1}}, 1, 1, List.of()));
            Evaluator ev = new Evaluator(g, ck, new JavaBackend());
            // Tail query (3, r, ?): scores 3,6,9,12 → true tail 2 (score 6) beaten by 9 and 12: raw rank 3;
            // filtered removes tail 4 (known from train): rank 2. Head query (?, r, 2): scores 2,4,6,8 → true
            // head 3 (score 6) beaten by 8: rank 2, nothing to filter (no other known head of tail 2).
            Map<String, Object> raw = ev.evaluate(Split.TEST, false, 0);
            assertEquals(2L, raw.get("count"));
            assertEquals(round((1 / 3.0 + 1 / 2.0) / 2), raw.get("mrr"));
            assertEquals(2.5, raw.get("mr"));
            assertEquals(0.0, raw.get("hits1"));
            assertEquals(1.0, raw.get("hits10"));
            // AUC: tail query 1 of 3 negatives below; head query 2 of 3 below.
            assertEquals(round((1 / 3.0 + 2 / 3.0) / 2), raw.get("auc"));
            Map<String, Object> filtered = ev.evaluate(Split.TEST, true, 0);
            assertEquals(round((1 / 2.0 + 1 / 2.0) / 2), filtered.get("mrr"));
            assertEquals(2.0, filtered.get("mr"));
            assertEquals(true, filtered.get("filtered"));
            // Sampled candidates (4,000 uniform draws among the 4 entities) estimate the same AUCs; filtering
            // drops draws of the known tail 4, so the tail query's AUC becomes 1/2 (entity 1 below, 3 above).
            Map<String, Object> sampledRaw = ev.evaluate(Split.TEST, false, 0, 4000, 7);
            assertEquals((1 / 3.0 + 2 / 3.0) / 2, (double) sampledRaw.get("auc"), 0.03);
            assertEquals(4000, sampledRaw.get("sampled_negatives"));
            Map<String, Object> sampledFiltered = ev.evaluate(Split.TEST, true, 0, 4000, 7);
            assertEquals((1 / 2.0 + 2 / 3.0) / 2, (double) sampledFiltered.get("auc"), 0.03);
            assertEquals(sampledFiltered, ev.evaluate(Split.TEST, true, 0, 4000, 7), "same seed, same result");
        }
    }

    /**
     * TransE with random embeddings, more test edges than a query block: the evaluator's ranks (query rows
     * built per block, candidate rows per side) against ranks counted here from the formula
     * {@code -|h - (t + r)|} (operators act on the right-hand side, as in PBG); sampled ranking, drawing many candidates, estimates the same AUC.
     */
    @Test
    void ranksOfAnOperatorModelMatchTheFormula(@TempDir Path tmp) {
        int entities = 40;
        int d = 3;
        int edges = 300;
        TesseraConfig config = ConfigLoader.parse(
                "entities:\n  e: {}\nrelations:\n  - {name: r, lhs: e, rhs: e, "
                        + "operator: translation}\ndimension: 3\ncomparator: l2\nglobal_emb: false\n",
                "t");
        java.util.Random random = new java.util.Random(5);
        float[] emb = new float[entities * d];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) random.nextGaussian();
        }
        float[] translation = {0.5f, -0.25f, 1f};
        int[] lhs = new int[edges];
        int[] rhs = new int[edges];
        for (int i = 0; i < edges; i++) {
            lhs[i] = random.nextInt(entities);
            rhs[i] = random.nextInt(entities);
        }
        try (GraphStore g = GraphStore.create(tmp.resolve("g"))) {
            g.putEdgeBlocks(Split.TEST, 0, 0, 0, List.of(new EdgeBlock(new int[edges], lhs, rhs, null)));
            long[][] none = {{0}};
            g.writeMeta(new GraphMeta(
                    config,
                    1,
                    Map.of("e", new long[] {entities}),
                    Map.of(Split.TRAIN, none, Split.VALID, none, Split.TEST, new long[][] {{edges}}),
                    Map.of()));
        }
        double reciprocalRanks = 0;
        double[] perEdge = new double[edges];
        double auc = 0;
        for (int i = 0; i < edges; i++) {
            for (boolean tail : new boolean[] {true, false}) {
                double positive = score(emb, translation, lhs[i], rhs[i]);
                double above = 0;
                for (int c = 0; c < entities; c++) {
                    if (c != (tail ? rhs[i] : lhs[i])) {
                        double v = tail ? score(emb, translation, lhs[i], c) : score(emb, translation, c, rhs[i]);
                        above += v > positive ? 1 : v == positive ? 0.5 : 0;
                    }
                }
                reciprocalRanks += 1 / (1 + above);
                perEdge[i] += 1 / (1 + above);
                auc += 1 - above / (entities - 1);
            }
        }
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), "fp")) {
            ck.writePartition(1, 0, 0, emb, new float[entities], entities, d);
            ck.writeParams(1, 0, translation, new float[d]);
            ck.writeConfig(config.toJson());
            ck.commit(new Checkpoint(1, 1, new int[][] {{1}}, 1, d, List.of()));
            Evaluator ev = new Evaluator(g, ck, new JavaBackend());
            Map<String, Object> all = ev.evaluate(Split.TEST, false, 0);
            assertEquals((long) 2 * edges, all.get("count"));
            assertEquals(round(reciprocalRanks / (2 * edges)), all.get("mrr"));
            assertEquals(round(auc / (2 * edges)), all.get("auc"));
            // --limit 7 ranks edges floor(j · 300 / 7), j < 7: evenly spaced, the first included.
            double limited = 0;
            for (int j = 0; j < 7; j++) {
                limited += perEdge[j * edges / 7];
            }
            Map<String, Object> seven = ev.evaluate(Split.TEST, false, 7);
            assertEquals(14L, seven.get("count"));
            assertEquals(round(limited / 14), seven.get("mrr"));
            assertEquals(all, ev.evaluate(Split.TEST, false, edges + 1));
            Map<String, Object> sampled = ev.evaluate(Split.TEST, false, 0, 20_000, 3);
            assertEquals(auc / (2 * edges), (double) sampled.get("auc"), 0.01);
        }
    }

    private static double score(float[] emb, float[] translation, int h, int t) {
        double sq = 0;
        for (int k = 0; k < translation.length; k++) {
            double x = emb[h * translation.length + k] - emb[t * translation.length + k] - translation[k];
            sq += x * x;
        }
        return -Math.sqrt(sq);
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
