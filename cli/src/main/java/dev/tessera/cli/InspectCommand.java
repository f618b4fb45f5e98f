package dev.tessera.cli;

import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.util.Json;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Show what a graph directory holds: entities, relations, edges per split and bucket.")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    JsonOption output;

    @Parameters(index = "0", description = "Graph directory.")
    Path graph;

    @Override
    public Integer call() {
        try (GraphStore store = GraphStore.openReadOnly(graph)) {
            GraphMeta meta = store.meta();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("graph", graph.toAbsolutePath().toString());
            r.put("format_version", store.formatVersion());
            r.put("entities", meta.entityTotals());
            Map<String, Object> edges = new LinkedHashMap<>();
            for (Split s : Split.values()) {
                edges.put(s.label(), meta.edgeCount(s));
            }
            r.put("edges", edges);
            Map<String, Object> relations = new LinkedHashMap<>();
            for (RelationConfig rel : meta.schema().relations()) {
                relations.put(rel.name(), rel.lhs() + " -> " + rel.rhs() + " (" + rel.operator() + ")");
            }
            r.put("relations", relations);
            r.put("partitions", meta.numPartitions());
            r.put("buckets", meta.nonEmptyBuckets(Split.TRAIN));
            r.put("diagonal_fraction", Math.round(meta.diagonalFraction(Split.TRAIN) * 1e4) / 1e4);
            r.put("import", meta.importReport());
            if (output.json) {
                System.out.println(Json.write(r));
            } else {
                System.out.println(text(r, meta));
            }
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }

    private static String text(Map<String, Object> r, GraphMeta meta) {
        StringBuilder sb = new StringBuilder();
        sb.append("graph      ")
                .append(r.get("graph"))
                .append("  (format ")
                .append(r.get("format_version"))
                .append(")\n");
        sb.append("entities   ");
        meta.entityTotals()
                .forEach((t, n) ->
                        sb.append(t).append(' ').append(Output.thousands(n)).append("  "));
        sb.append("\nedges      ");
        for (Split s : Split.values()) {
            sb.append(s.label())
                    .append(' ')
                    .append(Output.thousands(meta.edgeCount(s)))
                    .append("  ");
        }
        sb.append(String.format(
                java.util.Locale.ROOT,
                "%npartitions %d   buckets %d   diagonal %.1f%%   strategy %s%n",
                meta.numPartitions(),
                meta.nonEmptyBuckets(Split.TRAIN),
                100 * meta.diagonalFraction(Split.TRAIN),
                meta.importReport().getOrDefault("strategy", "?")));
        sb.append("relations  ").append(meta.schema().relations().size()).append('\n');
        for (RelationConfig rel : meta.schema().relations()) {
            sb.append("  ")
                    .append(rel.name())
                    .append(": ")
                    .append(rel.lhs())
                    .append(" -> ")
                    .append(rel.rhs())
                    .append(" (")
                    .append(rel.operator())
                    .append(")\n");
        }
        if (meta.numPartitions() <= 8) {
            sb.append("train edges per bucket (rows: lhs partition, columns: rhs partition)\n");
            for (int i = 0; i < meta.numPartitions(); i++) {
                sb.append("  ");
                for (int j = 0; j < meta.numPartitions(); j++) {
                    sb.append(String.format(
                            java.util.Locale.ROOT, "%12s", Output.thousands(meta.edgeCount(Split.TRAIN, i, j))));
                }
                sb.append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }
}
