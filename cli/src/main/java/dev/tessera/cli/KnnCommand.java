package dev.tessera.cli;

import dev.tessera.model.StoredModel;
import dev.tessera.serving.EmbeddingModel;
import dev.tessera.serving.StreamedNeighbours;
import dev.tessera.storage.TrainedGraph;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "knn",
        mixinStandardHelpOptions = true,
        description = "The nearest entities of one entity, by the metric its model was trained with: exact search "
                + "(default, one partition in memory at a time) or approximate on an HNSW index (--approx, every "
                + "embedding of the type in memory).")
final class KnnCommand implements Callable<Integer> {
    @Mixin
    GraphOption graph;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    JsonOption output;

    @Option(names = "--entity", required = true, description = "Entity name.")
    String entity;

    @Option(names = "--type", description = "Entity type to search among (default: the entity's own type).")
    String type;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours to list (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--exact", description = "Exact search over every candidate (the default).")
    boolean exact;

    @Option(names = "--approx", description = "Approximate search on an HNSW index built for the query.")
    boolean approx;

    @Override
    public Integer call() {
        try {
            if (exact && approx) {
                throw new IllegalArgumentException("give at most one of --exact and --approx");
            }
            if (k <= 0) {
                throw new IllegalArgumentException("--k must be positive, got " + k);
            }
            if (approx) {
                try (EmbeddingModel model = EmbeddingModel.open(graph.dir(), checkpoint.dir())) {
                    Ranked.print(entity, model.metric(), model.nearest(entity, k, type, true), output.json);
                    return 0;
                }
            }
            // Exact search reads one partition at a time: it answers for models larger than memory.
            try (TrainedGraph t = TrainedGraph.open(graph.dir(), checkpoint.dir())) {
                StreamedNeighbours search =
                        new StreamedNeighbours(t.graph(), new StoredModel(t.graph(), t.checkpoint()));
                Ranked.print(entity, search.metric(), search.nearest(entity, k, type), output.json);
                return 0;
            }
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }
}
