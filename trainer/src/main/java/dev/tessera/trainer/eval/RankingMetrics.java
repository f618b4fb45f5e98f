package dev.tessera.trainer.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** Accumulates link-prediction ranks: MR, MRR, Hits@1/10/50 and AUC over every ranked query. */
public final class RankingMetrics {
    private long count;
    private double reciprocal;
    private double rankSum;
    private long hits1;
    private long hits10;
    private long hits50;
    private double auc;

    /** One query: its rank (1 = best) and the fraction of its negatives scored below the positive. */
    public void add(double rank, double aucOfQuery) {
        count++;
        reciprocal += 1 / rank;
        rankSum += rank;
        hits1 += rank <= 1 ? 1 : 0;
        hits10 += rank <= 10 ? 1 : 0;
        hits50 += rank <= 50 ? 1 : 0;
        auc += aucOfQuery;
    }

    public void merge(RankingMetrics o) {
        count += o.count;
        reciprocal += o.reciprocal;
        rankSum += o.rankSum;
        hits1 += o.hits1;
        hits10 += o.hits10;
        hits50 += o.hits50;
        auc += o.auc;
    }

    public long count() {
        return count;
    }

    public double mrr() {
        return count == 0 ? 0 : reciprocal / count;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        double n = Math.max(1, count);
        m.put("mrr", round(reciprocal / n));
        m.put("mr", round(rankSum / n));
        m.put("hits1", round(hits1 / n));
        m.put("hits10", round(hits10 / n));
        m.put("hits50", round(hits50 / n));
        m.put("auc", round(auc / n));
        m.put("count", count);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
