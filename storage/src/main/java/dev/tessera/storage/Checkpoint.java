package dev.tessera.storage;

import dev.tessera.core.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete checkpoint: its version, the epochs trained, and for every (entity type, partition) and for
 * the relation parameters the version whose data holds them (a partition untouched since an earlier
 * checkpoint keeps pointing there). Written in one put, so it flips atomically.
 *
 * @param partitionVersion {@code [type][part]} → data version
 * @param history          per finished epoch: loss and any evaluation metrics, for reports
 * @param best             the run's best validated state so far, whose data is kept while training goes on
 *                         (null: none validated)
 */
public record Checkpoint(
        int version,
        int epochs,
        int[][] partitionVersion,
        int paramsVersion,
        int dimension,
        List<Map<String, Object>> history,
        Best best) {

    /**
     * The model after {@code epochs} epochs, which ranked the valid split at {@code validMrr}: where its
     * partitions and parameters live.
     */
    public record Best(int epochs, double validMrr, int[][] partitionVersion, int paramsVersion) {}

    /** A checkpoint of a run that has not validated (or keeps no best). */
    public Checkpoint(
            int version,
            int epochs,
            int[][] partitionVersion,
            int paramsVersion,
            int dimension,
            List<Map<String, Object>> history) {
        this(version, epochs, partitionVersion, paramsVersion, dimension, history, null);
    }

    /** This checkpoint, with {@code best} as the run's best validated state. */
    public Checkpoint withBest(Best best) {
        return new Checkpoint(version, epochs, partitionVersion, paramsVersion, dimension, history, best);
    }

    /** This checkpoint's model as a best validated state that ranked the valid split at {@code validMrr}. */
    public Best asBest(double validMrr) {
        return new Best(epochs, validMrr, partitionVersion, paramsVersion);
    }

    /**
     * The checkpoint a run ends on when it keeps its best validated model: the same epochs and history (and
     * version, so a resumed run writes past every version used), with the best's partitions and parameters.
     */
    public Checkpoint restoredToBest() {
        return new Checkpoint(version, epochs, best.partitionVersion, best.paramsVersion, dimension, history, best);
    }

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("epochs", epochs);
        m.put("partition_version", versionsJson(partitionVersion));
        m.put("params_version", paramsVersion);
        m.put("dimension", dimension);
        m.put("history", history);
        if (best != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("epochs", best.epochs);
            b.put("valid_mrr", best.validMrr);
            b.put("partition_version", versionsJson(best.partitionVersion));
            b.put("params_version", best.paramsVersion);
            m.put("best", b);
        }
        return Json.write(m);
    }

    @SuppressWarnings("unchecked")
    static Checkpoint fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        Map<String, Object> b = (Map<String, Object>) m.get("best");
        return new Checkpoint(
                intValue(m, "version"),
                intValue(m, "epochs"),
                versions(m.get("partition_version")),
                intValue(m, "params_version"),
                intValue(m, "dimension"),
                (List<Map<String, Object>>) m.get("history"),
                b == null
                        ? null
                        : new Best(
                                intValue(b, "epochs"),
                                ((Number) b.get("valid_mrr")).doubleValue(),
                                versions(b.get("partition_version")),
                                intValue(b, "params_version")));
    }

    private static List<Object> versionsJson(int[][] versions) {
        List<Object> parts = new ArrayList<>();
        for (int[] row : versions) {
            List<Object> r = new ArrayList<>();
            for (int v : row) {
                r.add(v);
            }
            parts.add(r);
        }
        return parts;
    }

    @SuppressWarnings("unchecked")
    private static int[][] versions(Object json) {
        List<Object> parts = (List<Object>) json;
        int[][] pv = new int[parts.size()][];
        for (int t = 0; t < pv.length; t++) {
            List<Object> row = (List<Object>) parts.get(t);
            pv[t] = row.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        }
        return pv;
    }

    private static int intValue(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
    }
}
