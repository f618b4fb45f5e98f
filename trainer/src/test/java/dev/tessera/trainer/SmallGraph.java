package dev.tessera.trainer;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a small single-type graph store straight from TSV triples (no Spark), with entities dealt to P
 * partitions round-robin in name order: the trainer's tests need a graph, not the import job.
 */
public final class SmallGraph {
    private SmallGraph() {}

    public static Path data(String relative) {
        return Path.of(System.getProperty("tessera.data.dir", "../../shared/data"))
                .resolve(relative);
    }

    /**
     * Imports {@code dir/{train,valid,test}.txt} into {@code out} (a fourth column is the edge's weight); the config
     * body follows the entity/relations.
     */
    public static TesseraConfig build(Path dir, Path out, int partitions, String settings) {
        Map<Split, List<String[]>> rows = new EnumMap<>(Split.class);
        TreeSet<String> names = new TreeSet<>();
        TreeSet<String> relations = new TreeSet<>();
        for (Split s : Split.values()) {
            List<String[]> list = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(dir.resolve(s.label() + ".txt"))) {
                    if (!line.isBlank()) {
                        String[] t = line.split("\t");
                        list.add(t);
                        names.add(t[0]);
                        names.add(t[2]);
                        relations.add(t[1]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rows.put(s, list);
        }
        boolean weighted = rows.get(Split.TRAIN).stream().anyMatch(t -> t.length > 3);
        StringBuilder yaml = new StringBuilder("entities:\n  e: {num_partitions: " + partitions + "}\nrelations:\n");
        for (String r : relations) {
            yaml.append("  - {name: '").append(r).append("', lhs: e, rhs: e, operator: OPERATOR}\n");
        }
        String[] parts = settings.split("\n", 2);
        String operator = parts[0].replace("operator:", "").trim();
        TesseraConfig config = ConfigLoader.parse(
                yaml.toString().replace("OPERATOR", operator) + (parts.length > 1 ? parts[1] : ""), "test");
        Map<String, EntityRef> refs = new LinkedHashMap<>();
        long[] counts = new long[partitions];
        try (GraphStore store = GraphStore.create(out)) {
            int i = 0;
            for (String n : names) {
                int p = i++ % partitions;
                EntityRef ref = new EntityRef(0, p, (int) counts[p]++);
                refs.put(n, ref);
                store.putEntity(n, ref);
            }
            List<String> relNames =
                    config.relations().stream().map(RelationConfig::name).toList();
            Map<Split, long[][]> edgeCounts = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                long[][] grid = new long[partitions][partitions];
                Map<Integer, List<int[]>> byBucket = new LinkedHashMap<>();
                for (String[] t : rows.get(s)) {
                    EntityRef h = refs.get(t[0]);
                    EntityRef tl = refs.get(t[2]);
                    byBucket.computeIfAbsent(h.part() * partitions + tl.part(), k -> new ArrayList<>())
                            .add(new int[] {
                                relNames.indexOf(t[1]),
                                h.offset(),
                                tl.offset(),
                                Float.floatToIntBits(t.length > 3 ? Float.parseFloat(t[3]) : 1f)
                            });
                    grid[h.part()][tl.part()]++;
                }
                for (Map.Entry<Integer, List<int[]>> b : byBucket.entrySet()) {
                    List<int[]> e = b.getValue();
                    int[] rel = e.stream().mapToInt(x -> x[0]).toArray();
                    int[] lhs = e.stream().mapToInt(x -> x[1]).toArray();
                    int[] rhs = e.stream().mapToInt(x -> x[2]).toArray();
                    float[] weights = new float[e.size()];
                    for (int k = 0; k < weights.length; k++) {
                        weights[k] = Float.intBitsToFloat(e.get(k)[3]);
                    }
                    store.putEdgeBlocks(
                            s,
                            b.getKey() / partitions,
                            b.getKey() % partitions,
                            0,
                            List.of(new EdgeBlock(rel, lhs, rhs, weighted ? weights : null)));
                }
                edgeCounts.put(s, grid);
            }
            // Training degrees, one block per partition, for degree-weighted negatives.
            int[][] outDeg = new int[partitions][];
            int[][] inDeg = new int[partitions][];
            for (int p = 0; p < partitions; p++) {
                outDeg[p] = new int[(int) counts[p]];
                inDeg[p] = new int[(int) counts[p]];
            }
            for (String[] t : rows.get(Split.TRAIN)) {
                EntityRef h = refs.get(t[0]);
                EntityRef tl = refs.get(t[2]);
                outDeg[h.part()][h.offset()]++;
                inDeg[tl.part()][tl.offset()]++;
            }
            for (int p = 0; p < partitions; p++) {
                store.putDegrees(0, p, outDeg[p], inDeg[p]);
            }
            store.writeMeta(new GraphMeta(config, partitions, Map.of("e", counts), edgeCounts, Map.of()));
        }
        return config;
    }
}
