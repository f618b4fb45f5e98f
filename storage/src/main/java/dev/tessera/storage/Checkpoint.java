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
 */
public record Checkpoint(
        int version,
        int epochs,
        int[][] partitionVersion,
        int paramsVersion,
        int dimension,
        List<Map<String, Object>> history) {

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("epochs", epochs);
        List<Object> parts = new ArrayList<>();
        for (int[] row : partitionVersion) {
            List<Object> r = new ArrayList<>();
            for (int v : row) {
                r.add(v);
            }
            parts.add(r);
        }
        m.put("partition_version", parts);
        m.put("params_version", paramsVersion);
        m.put("dimension", dimension);
        m.put("history", history);
        return Json.write(m);
    }

    @SuppressWarnings("unchecked")
    static Checkpoint fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        List<Object> parts = (List<Object>) m.get("partition_version");
        int[][] pv = new int[parts.size()][];
        for (int t = 0; t < pv.length; t++) {
            List<Object> row = (List<Object>) parts.get(t);
            pv[t] = row.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        }
        return new Checkpoint(
                ((Number) m.get("version")).intValue(),
                ((Number) m.get("epochs")).intValue(),
                pv,
                ((Number) m.get("params_version")).intValue(),
                ((Number) m.get("dimension")).intValue(),
                (List<Map<String, Object>>) m.get("history"));
    }
}
