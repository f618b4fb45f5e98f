package dev.tessera.storage;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.util.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a graph directory holds, besides the data itself: the schema (the effective config, with discovered
 * relations), entity counts per type and partition, edge counts per split and bucket, and the import's
 * report. Stored as one framed JSON value in the {@code meta} family.
 */
public final class GraphMeta {
    private final TesseraConfig schema;
    private final int numPartitions;
    private final Map<String, long[]> entityCounts;
    private final Map<Split, long[][]> edgeCounts;
    private final Map<String, Object> importReport;
    private final String lastUpdate;

    public GraphMeta(
            TesseraConfig schema,
            int numPartitions,
            Map<String, long[]> entityCounts,
            Map<Split, long[][]> edgeCounts,
            Map<String, Object> importReport) {
        this(schema, numPartitions, entityCounts, edgeCounts, importReport, null);
    }

    private GraphMeta(
            TesseraConfig schema,
            int numPartitions,
            Map<String, long[]> entityCounts,
            Map<Split, long[][]> edgeCounts,
            Map<String, Object> importReport,
            String lastUpdate) {
        this.schema = schema;
        this.numPartitions = numPartitions;
        this.entityCounts = new LinkedHashMap<>(entityCounts);
        this.edgeCounts = new EnumMap<>(Split.class);
        this.edgeCounts.putAll(edgeCounts);
        for (Split s : Split.values()) {
            this.edgeCounts.putIfAbsent(s, new long[numPartitions][numPartitions]);
        }
        this.importReport = new LinkedHashMap<>(importReport);
        this.lastUpdate = lastUpdate;
    }

    public TesseraConfig schema() {
        return schema;
    }

    /** The side of the bucket grid: buckets are (lhsPart, rhsPart) with both below this. */
    public int numPartitions() {
        return numPartitions;
    }

    public long[] entityCounts(String type) {
        long[] c = entityCounts.get(type);
        if (c == null) {
            throw new IllegalArgumentException("no entity type '" + type + "' in this graph");
        }
        return c;
    }

    /** Rows of the type's largest partition. */
    public long largestPartition(String type) {
        long max = 0;
        for (long c : entityCounts(type)) {
            max = Math.max(max, c);
        }
        return max;
    }

    public long entityCount(String type) {
        long sum = 0;
        for (long c : entityCounts(type)) {
            sum += c;
        }
        return sum;
    }

    public Map<String, Long> entityTotals() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String t : entityCounts.keySet()) {
            m.put(t, entityCount(t));
        }
        return m;
    }

    public long edgeCount(Split split, int lhsPart, int rhsPart) {
        return edgeCounts.get(split)[lhsPart][rhsPart];
    }

    public long edgeCount(Split split) {
        long sum = 0;
        for (long[] row : edgeCounts.get(split)) {
            for (long c : row) {
                sum += c;
            }
        }
        return sum;
    }

    /** Edges of a split's largest bucket. */
    public long largestBucket(Split split) {
        long max = 0;
        for (long[] row : edgeCounts.get(split)) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        return max;
    }

    public int nonEmptyBuckets(Split split) {
        int n = 0;
        for (long[] row : edgeCounts.get(split)) {
            for (long c : row) {
                n += c > 0 ? 1 : 0;
            }
        }
        return n;
    }

    /** Fraction of training edges in buckets (i, i): the share a partitioning keeps local. */
    public double diagonalFraction(Split split) {
        long diag = 0;
        long[][] c = edgeCounts.get(split);
        for (int i = 0; i < numPartitions; i++) {
            diag += c[i][i];
        }
        long total = edgeCount(split);
        return total == 0 ? 0 : (double) diag / total;
    }

    /** Largest non-empty bucket of a split over the mean of the non-empty ones: 1.0 is perfectly even. */
    public double bucketImbalance(Split split) {
        int n = nonEmptyBuckets(split);
        return n == 0 ? 0 : largestBucket(split) / ((double) edgeCount(split) / n);
    }

    /**
     * The id of the last update that added entities to the imported graph, or null. Checkpoints fingerprint
     * it: two updates may add the same number of entities, but never the same ones under the same id.
     */
    public String lastUpdate() {
        return lastUpdate;
    }

    /**
     * The identity a checkpoint records of the graph it was trained on: entity counts, relation names and the
     * id of the last update that added entities (counts alone cannot tell two updates of equal size apart).
     */
    public String fingerprint() {
        Map<String, Object> f = new LinkedHashMap<>();
        schema.entities().forEach(e -> f.put(e.name(), java.util.Arrays.toString(entityCounts(e.name()))));
        f.put(
                "relations",
                schema.relations().stream().map(r -> r.name()).toList().toString());
        if (lastUpdate != null) {
            f.put("update", lastUpdate);
        }
        return Json.write(f);
    }

    /**
     * This graph after update {@code updateId}: entities appended to partitions ({@code [part]} counts per
     * type name; types not named gain none) and edges added to one split's buckets.
     */
    public GraphMeta withAdded(String updateId, Map<String, long[]> addedEntities, Split split, long[][] addedEdges) {
        Map<String, long[]> entities = new LinkedHashMap<>();
        entityCounts.forEach((type, counts) -> {
            long[] sum = counts.clone();
            long[] plus = addedEntities.get(type);
            for (int p = 0; plus != null && p < sum.length; p++) {
                sum[p] += plus[p];
            }
            entities.put(type, sum);
        });
        Map<Split, long[][]> edges = new EnumMap<>(Split.class);
        edgeCounts.forEach((s, grid) -> {
            long[][] sum = new long[grid.length][];
            for (int l = 0; l < grid.length; l++) {
                sum[l] = grid[l].clone();
                for (int r = 0; s == split && r < sum[l].length; r++) {
                    sum[l][r] += addedEdges[l][r];
                }
            }
            edges.put(s, sum);
        });
        return new GraphMeta(schema, numPartitions, entities, edges, importReport, updateId);
    }

    public Map<String, Object> importReport() {
        return importReport;
    }

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_partitions", numPartitions);
        Map<String, Object> ents = new LinkedHashMap<>();
        entityCounts.forEach((t, c) -> ents.put(t, longs(c)));
        m.put("entity_counts", ents);
        Map<String, Object> edges = new LinkedHashMap<>();
        edgeCounts.forEach((s, grid) -> {
            List<Object> rows = new ArrayList<>();
            for (long[] row : grid) {
                rows.add(longs(row));
            }
            edges.put(s.label(), rows);
        });
        m.put("edge_counts", edges);
        m.put("import", importReport);
        m.put("schema", Json.parseObject(schema.toJson()));
        if (lastUpdate != null) {
            m.put("last_update", lastUpdate);
        }
        return Json.write(m);
    }

    @SuppressWarnings("unchecked")
    static GraphMeta fromJson(String json, String source) {
        Map<String, Object> m = Json.parseObject(json);
        TesseraConfig schema = ConfigLoader.parseStored(Json.write(m.get("schema")), source + " (stored schema)");
        int p = ((Number) m.get("num_partitions")).intValue();
        Map<String, long[]> ents = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("entity_counts")).forEach((t, c) -> ents.put(t, toLongs((List<Object>) c)));
        Map<Split, long[][]> edges = new EnumMap<>(Split.class);
        ((Map<String, Object>) m.get("edge_counts")).forEach((s, rows) -> {
            List<Object> list = (List<Object>) rows;
            long[][] grid = new long[list.size()][];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = toLongs((List<Object>) list.get(i));
            }
            edges.put(Split.parse(s), grid);
        });
        return new GraphMeta(
                schema, p, ents, edges, (Map<String, Object>) m.get("import"), (String) m.get("last_update"));
    }

    private static List<Object> longs(long[] a) {
        List<Object> l = new ArrayList<>(a.length);
        for (long v : a) {
            l.add(v);
        }
        return l;
    }

    private static long[] toLongs(List<Object> l) {
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Number) l.get(i)).longValue();
        }
        return a;
    }
}
