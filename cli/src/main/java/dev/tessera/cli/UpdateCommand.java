package dev.tessera.cli;

import dev.tessera.Tessera;
import dev.tessera.core.util.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        description = "Embed the entities new edges bring, without retraining: they join the graph and only their "
                + "rows train (everything already trained stays frozen); the checkpoint gets a new version.")
final class UpdateCommand implements Callable<Integer> {
    @Mixin
    GraphOption graph;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    JsonOption output;

    @Option(
            names = "--edges",
            required = true,
            description = "TSV of new edges: src, rel, dst[, weight]; each links a new entity to a known one.")
    Path edges;

    @Option(
            names = "--config",
            description = "Training settings (lr, negatives, ...) for the new rows; the model "
                    + "settings must match the checkpoint's (default: the checkpoint's own training config).")
    Path config;

    @Option(names = "--epochs", description = "Passes over the new edges (default: the config's num_epochs).")
    Integer epochs;

    @Override
    public Integer call() {
        try {
            Tessera.UpdateResult r =
                    Tessera.update(graph.dir(), checkpoint.dir(), edges, config, epochs, new Tessera.UpdateListener() {
                        @Override
                        public void onEpoch(int epoch, double loss, double edgesPerSecond) {
                            System.err.printf(
                                    Locale.ROOT,
                                    "update: epoch %d loss %.4f (%,.0f edges/s)%n",
                                    epoch + 1,
                                    loss,
                                    edgesPerSecond);
                        }

                        @Override
                        public void onGraphGrown(int entities, int edges) {
                            System.err.printf(
                                    Locale.ROOT,
                                    "update: the graph gained %d entities and %d edges%n",
                                    entities,
                                    edges);
                        }
                    });
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("entities_added", r.entities());
            out.put("edges", r.edges());
            out.put("edges_trained", r.trainedEdges());
            out.put("epochs", r.epochs());
            out.put("final_loss", r.finalLoss());
            out.put("checkpoint_version", r.checkpointVersion());
            out.put("seconds", Math.round(r.seconds() * 100) / 100.0);
            System.out.println(
                    output.json
                            ? Json.write(out)
                            : String.format(
                                    Locale.ROOT,
                                    "added %d entities and %d edges; trained their rows on %d edges for %d epochs (final loss %.4f); "
                                            + "checkpoint version %d",
                                    r.entities(),
                                    r.edges(),
                                    r.trainedEdges(),
                                    r.epochs(),
                                    r.finalLoss(),
                                    r.checkpointVersion()));
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }
}
