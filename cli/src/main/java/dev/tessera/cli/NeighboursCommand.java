package dev.tessera.cli;

import dev.tessera.core.util.Json;
import dev.tessera.jobs.NeighboursJob;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "neighbours",
        mixinStandardHelpOptions = true,
        description = "Every entity's k nearest entities of its type (exact search, on Spark) to Parquet: entity, "
                + "type, neighbours array<string>, scores array<float>, best first.")
final class NeighboursCommand implements Callable<Integer> {
    @Mixin
    GraphOption graph;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    JsonOption output;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours per entity (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--type", description = "Only entities of this type (default: every type).")
    String type;

    @Option(names = "--out", required = true, description = "Parquet output directory (must not exist).")
    Path out;

    @Option(names = "--master", description = "Spark master (default: local[*], or spark-submit's).")
    String master;

    @Override
    public Integer call() {
        try {
            NeighboursJob.Options options = new NeighboursJob.Options(graph.dir(), checkpoint.dir(), k, type, out);
            Map<String, Object> report = NeighboursJob.run(options, master, System.err);
            System.out.println(
                    output.json
                            ? Json.write(report)
                            : String.format(
                                    Locale.ROOT,
                                    "wrote the %d nearest neighbours (%s) of %s entities to %s in %.1f s",
                                    k,
                                    report.get("metric"),
                                    Output.thousands(report.get("entities")),
                                    out,
                                    (Double) report.get("seconds")));
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }
}
