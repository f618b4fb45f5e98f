package dev.tessera.cli;

import dev.tessera.core.util.Json;
import dev.tessera.jobs.ImportArguments;
import dev.tessera.jobs.ImportJob;
import dev.tessera.jobs.ImportOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Import edge files (TSV, CSV, Parquet) into a partitioned graph directory.")
final class ImportCommand implements Callable<Integer> {
    @Mixin
    JsonOption output;

    @Mixin
    ImportArguments arguments;

    @Option(names = "--master", description = "Spark master (default: local[*], or spark-submit's).")
    String master;

    @Override
    public Integer call() {
        ImportOptions options;
        try {
            options = arguments.toOptions();
        } catch (IllegalArgumentException e) {
            return Output.failure(e, output.json);
        }
        try {
            Map<String, Object> report = ImportJob.run(options, master, System.err);
            System.out.println(output.json ? Json.write(report) : summary(report));
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }

    @SuppressWarnings("unchecked")
    static String summary(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                java.util.Locale.ROOT,
                "Imported %s in %.1f s (%s input rows/s)%n",
                r.get("graph"),
                ((Number) r.get("seconds")).doubleValue(),
                Output.thousands(r.get("edges_per_s"))));
        sb.append("  entities   ");
        ((Map<String, Object>) r.get("entities"))
                .forEach((t, n) ->
                        sb.append(t).append(' ').append(Output.thousands(n)).append("  "));
        sb.append("\n  edges      ");
        ((Map<String, Object>) r.get("edges"))
                .forEach((s, n) ->
                        sb.append(s).append(' ').append(Output.thousands(n)).append("  "));
        sb.append(String.format(
                java.util.Locale.ROOT,
                "%n  relations  %s   partitions %s (%s)   buckets %s   diagonal %.1f%%   bucket imbalance %.2f%n",
                r.get("relations"),
                r.get("partitions"),
                r.get("strategy"),
                r.get("buckets"),
                100 * ((Number) r.get("diagonal_fraction")).doubleValue(),
                ((Number) r.get("bucket_imbalance")).doubleValue()));
        Map<String, Object> bad = (Map<String, Object>) r.get("bad_rows");
        sb.append("  bad rows   ").append(bad.get("total"));
        if (((Number) bad.get("total")).longValue() > 0) {
            sb.append(' ').append(bad.get("by_reason"));
            for (Object line : (List<Object>) bad.get("first")) {
                sb.append("\n    ").append(line);
            }
        }
        Map<String, Object> nodes = (Map<String, Object>) r.get("nodes");
        if (nodes != null) {
            sb.append("\n  node file  ")
                    .append(Output.thousands(nodes.get("lines")))
                    .append(" lines; entities without training edges ")
                    .append(Output.thousands(nodes.get("entities_without_training_edges")));
        }
        Map<String, Object> unseen = (Map<String, Object>) r.get("unseen_in_train");
        if (!unseen.isEmpty()) {
            sb.append("\n  edges with an entity unseen in train: ").append(unseen);
        }
        return sb.toString();
    }
}
