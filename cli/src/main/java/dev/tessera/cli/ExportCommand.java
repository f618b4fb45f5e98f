package dev.tessera.cli;

import dev.tessera.core.util.Json;
import dev.tessera.jobs.ExportJob;
import dev.tessera.model.StoredModel;
import dev.tessera.serving.EmbeddingExporter;
import dev.tessera.storage.TrainedGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write trained embeddings as TSV, .npy + names, or Parquet, and relations.json.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    GraphOption graph;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    JsonOption output;

    @Option(names = "--format", defaultValue = "tsv", description = "tsv, npy or parquet (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Override
    public Integer call() {
        try (TrainedGraph t = TrainedGraph.open(graph.dir(), checkpoint.dir())) {
            StoredModel model = new StoredModel(t.graph(), t.checkpoint());
            EmbeddingExporter exporter = new EmbeddingExporter(t.graph(), model);
            switch (format) {
                case "tsv" -> exporter.writeTsv(out);
                case "npy" -> exporter.writeNpy(out);
                case "parquet" -> ExportJob.write(t.graph(), model, out);
                default ->
                    throw new IllegalArgumentException(
                            "unknown export format '" + format + "'; expected tsv, npy or parquet");
            }
            long entities = java.util.Arrays.stream(model.count).asLongStream().sum();
            // In a fixed order: Map.of's iteration order changes from one JVM to the next.
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("out", out.toString());
            report.put("format", format);
            report.put("entities", entities);
            report.put("dimension", model.d);
            System.out.println(
                    output.json
                            ? Json.write(report)
                            : "exported " + entities + " embeddings of dimension " + model.d + " to " + out);
            return 0;
        } catch (IOException e) {
            return Output.failure(
                    new IllegalArgumentException("cannot write " + out + ": " + e.getMessage()), output.json);
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }
}
