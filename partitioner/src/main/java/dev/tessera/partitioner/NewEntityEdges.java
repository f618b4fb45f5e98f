package dev.tessera.partitioner;

import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.DegreeBlock;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EdgeBlockKey;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphGrowth;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A file of new edges ({@code src rel dst [weight]}, tab-separated) resolved against an existing graph:
 * names the graph lacks become new entities of the type their relation puts there, each placed in the
 * partition its name hashes to, at the next free offset after the partition's existing entities (so no
 * existing entity moves and every trained row keeps its place). Every edge needs at least one end the graph
 * already has: between two new entities nothing anchors them to the trained space. Every problem is reported with the
 * file, the 1-based line and the field.
 */
public final class NewEntityEdges {
    /** A new entity: its name and where it goes. */
    public record NewEntity(String name, EntityRef ref) {}

    public final List<NewEntity> entities = new ArrayList<>();
    /** Per edge: relation id, both ends' partition and offset, and weight (1 unless the file gives one). */
    public int size;

    public int[] rel = new int[16];
    public int[] lhsPart = new int[16];
    public int[] lhsOffset = new int[16];
    public int[] rhsPart = new int[16];
    public int[] rhsOffset = new int[16];
    public float[] weight = new float[16];
    /** Whether the file has a weight column. */
    public boolean weighted;
    /** {@code [type][part]}: entities the graph had before. */
    public final long[][] oldCounts;
    /** {@code [type][part]}: entities added. */
    public final long[][] addedCounts;

    private NewEntityEdges(long[][] oldCounts) {
        this.oldCounts = oldCounts;
        this.addedCounts = new long[oldCounts.length][];
        for (int t = 0; t < oldCounts.length; t++) {
            addedCounts[t] = new long[oldCounts[t].length];
        }
    }

    /** Reads and resolves {@code file} against {@code graph}, whose model has the relations of {@code schema}. */
    public static NewEntityEdges read(Path file, GraphStore graph, TesseraConfig schema) {
        GraphMeta meta = graph.meta();
        long[][] counts = new long[schema.entities().size()][];
        for (int t = 0; t < counts.length; t++) {
            counts[t] = meta.entityCounts(schema.entities().get(t).name()).clone();
        }
        NewEntityEdges out = new NewEntityEdges(counts);
        Map<String, Integer> relations = new HashMap<>();
        for (int r = 0; r < schema.relations().size(); r++) {
            relations.put(schema.relations().get(r).name(), r);
        }
        Map<String, EntityRef> added = new LinkedHashMap<>();
        // Rows are checked by the import's parser; only the messages are this command's (file, line, field).
        RelationCatalog catalog = new RelationCatalog(schema);
        EdgeRowParser parser = null;
        ParsedEdge row = new ParsedEdge();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int columns = -1;
            String line;
            for (int lineNo = 1; (line = in.readLine()) != null; lineNo++) {
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + lineNo;
                String[] f = Delimited.splitTabs(line);
                if (f.length != 3 && f.length != 4) {
                    throw new IllegalArgumentException(where + ": " + f.length + " tab-separated fields; expected "
                            + "src, rel, dst and an optional weight");
                }
                if (columns >= 0 && f.length != columns) {
                    throw new IllegalArgumentException(
                            where + ": " + f.length + " fields, but earlier lines have " + columns);
                }
                if (parser == null) {
                    parser = new EdgeRowParser(InputFormat.TSV, ColumnLayout.byCount(f.length, where), catalog);
                }
                columns = f.length;
                parser.parseFields(f, row);
                if (row.bad == null && !relations.containsKey(row.rel)) {
                    // The model's relations are fixed: a name an import would discover is unknown here.
                    row.reject(BadRowReason.UNKNOWN_RELATION, null);
                }
                if (row.bad != null) {
                    throw new IllegalArgumentException(where + ": " + rejection(row, f, relations.keySet()));
                }
                int rel = relations.get(row.rel);
                RelationConfig rc = schema.relations().get(rel);
                String src = row.src;
                String dst = row.dst;
                EntityRef lhs = graph.entity(src).orElse(null);
                EntityRef rhs = graph.entity(dst).orElse(null);
                if (lhs == null && rhs == null) {
                    throw new IllegalArgumentException(where + ": fields src and dst: neither '" + src + "' nor '" + dst
                            + "' is in the graph; an edge must link a new entity to one the graph already has");
                }
                lhs = lhs == null
                        ? out.place(added, src, row.srcType, where, "src", schema, rc)
                        : check(lhs, row.srcType, where, "src", src, schema, rc);
                rhs = rhs == null
                        ? out.place(added, dst, row.dstType, where, "dst", schema, rc)
                        : check(rhs, row.dstType, where, "dst", dst, schema, rc);
                float w = row.weight;
                out.add(rel, lhs, rhs, w);
            }
            out.weighted = columns == 4;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        added.forEach((name, ref) -> out.entities.add(new NewEntity(name, ref)));
        if (out.size == 0) {
            throw new IllegalArgumentException(file + " holds no edges");
        }
        return out;
    }

    /** {@code [type][part][0 out, 1 in][added row]}: the new entities' degrees over these edges. */
    public int[][][][] addedDegrees(TesseraConfig schema) {
        int[][][][] out = new int[oldCounts.length][][][];
        for (int t = 0; t < out.length; t++) {
            out[t] = new int[oldCounts[t].length][][];
            for (int p = 0; p < out[t].length; p++) {
                out[t][p] = new int[2][Math.toIntExact(addedCounts[t][p])];
            }
        }
        for (int i = 0; i < size; i++) {
            RelationConfig rc = schema.relations().get(rel[i]);
            int lt = schema.entityTypeId(rc.lhs());
            int rt = schema.entityTypeId(rc.rhs());
            int l = lhsOffset[i] - Math.toIntExact(oldCounts[lt][lhsPart[i]]);
            int r = rhsOffset[i] - Math.toIntExact(oldCounts[rt][rhsPart[i]]);
            if (l >= 0) {
                out[lt][lhsPart[i]][0][l]++;
            }
            if (r >= 0) {
                out[rt][rhsPart[i]][1][r]++;
            }
        }
        return out;
    }

    /**
     * The graph's metadata once these entities and edges are added by update {@code updateId}: the grown
     * entity counts and training-edge counts, and the update's id.
     */
    public GraphMeta grownMeta(GraphMeta meta, String updateId) {
        Map<String, long[]> added = new LinkedHashMap<>();
        List<EntityTypeConfig> types = meta.schema().entities();
        for (int t = 0; t < types.size(); t++) {
            added.put(types.get(t).name(), addedCounts[t]);
        }
        int parts = meta.numPartitions();
        long[][] addedEdges = new long[parts][parts];
        for (int i = 0; i < size; i++) {
            addedEdges[lhsPart[i]][rhsPart[i]]++;
        }
        return meta.withAdded(updateId, added, Split.TRAIN, addedEdges);
    }

    /**
     * Adds the new entities (both directions of the dictionary and their degree blocks), the edges (as a new
     * chunk of each bucket's training edges), the existing entities' grown degrees and {@code grown} (from
     * {@link #grownMeta}) to the graph, in one atomic write.
     */
    public void addTo(GraphStore graph, TesseraConfig schema, GraphMeta grown) {
        GraphGrowth growth = new GraphGrowth();
        for (NewEntity e : entities) {
            growth.addEntity(e.name(), e.ref());
        }
        int[][][][] degrees = addedDegrees(schema);
        for (int t = 0; t < oldCounts.length; t++) {
            for (int p = 0; p < oldCounts[t].length; p++) {
                // Blocks keyed by their first offset continue the imported ones, which end at the old count.
                growth.putDegrees(t, p, Math.toIntExact(oldCounts[t][p]), degrees[t][p][0], degrees[t][p][1]);
            }
        }
        grownExistingDegrees(graph, schema)
                .forEach((partition, blocks) ->
                        blocks.values().forEach(b -> growth.putDegreeBlock(partition.get(0), partition.get(1), b)));
        Map<Long, List<Integer>> byBucket = new java.util.TreeMap<>();
        for (int i = 0; i < size; i++) {
            byBucket.computeIfAbsent((long) lhsPart[i] << 32 | rhsPart[i], b -> new ArrayList<>())
                    .add(i);
        }
        for (Map.Entry<Long, List<Integer>> b : byBucket.entrySet()) {
            int l = (int) (b.getKey() >>> 32);
            int r = (int) (long) b.getKey();
            List<Integer> edges = b.getValue();
            int chunk = graph.lastChunk(Split.TRAIN, l, r) + 1;
            for (int from = 0, block = 0; from < edges.size(); from += EdgeBlock.DEFAULT_SIZE, block++) {
                int n = Math.min(EdgeBlock.DEFAULT_SIZE, edges.size() - from);
                int[] rels = new int[n];
                int[] lhs = new int[n];
                int[] rhs = new int[n];
                float[] w = weighted ? new float[n] : null;
                for (int j = 0; j < n; j++) {
                    int e = edges.get(from + j);
                    rels[j] = rel[e];
                    lhs[j] = lhsOffset[e];
                    rhs[j] = rhsOffset[e];
                    if (w != null) {
                        w[j] = weight[e];
                    }
                }
                growth.putEdgeBlock(
                        new EdgeBlockKey(Split.TRAIN, l, r, chunk, block), new EdgeBlock(rels, lhs, rhs, w));
            }
        }
        graph.grow(growth, grown);
    }

    /**
     * The stored degree blocks of existing entities these edges touch, with the edges counted in: per
     * {@code [type, part]}, the blocks by first offset (a block is read only when an edge grows it).
     */
    private Map<List<Integer>, java.util.TreeMap<Integer, DegreeBlock>> grownExistingDegrees(
            GraphStore graph, TesseraConfig schema) {
        Map<List<Integer>, java.util.TreeMap<Integer, DegreeBlock>> loaded = new HashMap<>();
        for (int i = 0; i < size; i++) {
            RelationConfig rc = schema.relations().get(rel[i]);
            int[] types = {schema.entityTypeId(rc.lhs()), schema.entityTypeId(rc.rhs())};
            int[] parts = {lhsPart[i], rhsPart[i]};
            int[] offsets = {lhsOffset[i], rhsOffset[i]};
            for (int end = 0; end < 2; end++) {
                if (offsets[end] >= oldCounts[types[end]][parts[end]]) {
                    continue;
                }
                java.util.TreeMap<Integer, DegreeBlock> blocks =
                        loaded.computeIfAbsent(List.of(types[end], parts[end]), k -> new java.util.TreeMap<>());
                Map.Entry<Integer, DegreeBlock> at = blocks.floorEntry(offsets[end]);
                DegreeBlock block =
                        at != null && offsets[end] < at.getKey() + at.getValue().out().length
                                ? at.getValue()
                                : graph.degreeBlock(types[end], parts[end], offsets[end]);
                blocks.put(block.first(), block);
                int[] degree = end == 0 ? block.out() : block.in();
                degree[offsets[end] - block.first()]++;
            }
        }
        return loaded;
    }

    /** Why the parser refused a row, naming the field as this command's messages always have. */
    private static String rejection(ParsedEdge row, String[] fields, Set<String> relations) {
        return switch (row.bad) {
            case UNKNOWN_RELATION ->
                "field rel: unknown relation '" + row.rel + "'; the model has " + new TreeSet<>(relations);
            case EMPTY_ID -> "field " + (row.src.isEmpty() ? "src" : "dst") + ": empty entity name";
            case BAD_WEIGHT -> "field weight: '" + fields[3].trim() + "' is not a finite number";
            default -> row.detail;
        };
    }

    private static EntityRef check(
            EntityRef e, int type, String where, String field, String name, TesseraConfig schema, RelationConfig rc) {
        if (e.type() != type) {
            throw new IllegalArgumentException(where + ": field " + field + ": '" + name + "' is a "
                    + schema.entities().get(e.type()).name() + ", but relation '" + rc.name() + "' takes a "
                    + schema.entities().get(type).name() + " there");
        }
        return e;
    }

    /**
     * A new entity's place: the partition its name hashes to, after everything already in it; a name met
     * before keeps its place, and must be wanted as the same type.
     */
    private EntityRef place(
            Map<String, EntityRef> added,
            String name,
            int type,
            String where,
            String field,
            TesseraConfig schema,
            RelationConfig rc) {
        EntityRef before = added.get(name);
        if (before != null) {
            return check(before, type, where, field, name, schema, rc);
        }
        if (schema.entities().get(type).featurized()) {
            throw new IllegalArgumentException(where + ": field " + field + ": '" + name + "' would be a new "
                    + schema.entities().get(type).name() + ", a featurized type: its embedding comes from its "
                    + "features, which update does not read (import them and train instead)");
        }
        int parts = oldCounts[type].length;
        int part = parts == 1 ? 0 : PartitionStrategy.hashPartition(name, parts);
        long offset = oldCounts[type][part] + addedCounts[type][part]++;
        EntityRef ref = new EntityRef(type, part, Math.toIntExact(offset));
        added.put(name, ref);
        return ref;
    }

    private void add(int r, EntityRef lhs, EntityRef rhs, float w) {
        if (size == rel.length) {
            int cap = size * 2;
            rel = Arrays.copyOf(rel, cap);
            lhsPart = Arrays.copyOf(lhsPart, cap);
            lhsOffset = Arrays.copyOf(lhsOffset, cap);
            rhsPart = Arrays.copyOf(rhsPart, cap);
            rhsOffset = Arrays.copyOf(rhsOffset, cap);
            weight = Arrays.copyOf(weight, cap);
        }
        rel[size] = r;
        lhsPart[size] = lhs.part();
        lhsOffset[size] = lhs.offset();
        rhsPart[size] = rhs.part();
        rhsOffset[size] = rhs.offset();
        weight[size] = w;
        size++;
    }
}
