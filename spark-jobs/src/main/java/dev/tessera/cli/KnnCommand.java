package dev.tessera.cli;

import dev.tessera.trainer.export.EmbeddingModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "knn", mixinStandardHelpOptions = true,
        description = "The nearest entities of one entity, by the metric its model was trained with (exact search).")
final class KnnCommand implements Callable<Integer> {
    @Option(names = "--graph", required = true, description = "Graph directory.")
    Path graph;

    @Option(names = "--checkpoint", required = true, description = "Checkpoint directory.")
    Path checkpoint;

    @Option(names = "--entity", required = true, description = "Entity name.")
    String entity;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours to list (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        try (EmbeddingModel model = EmbeddingModel.open(graph, checkpoint)) {
            Ranked.print(entity, model.metric(), model.nearest(entity, k), json);
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, json);
        }
    }
}
