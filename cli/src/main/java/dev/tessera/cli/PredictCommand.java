package dev.tessera.cli;

import dev.tessera.serving.EmbeddingModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = "The best tails of (head, relation, ?) or heads of (?, relation, tail) under the trained model.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    GraphOption graph;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    JsonOption output;

    @Option(names = "--head", description = "Head entity: list the best tails.")
    String head;

    @Option(names = "--tail", description = "Tail entity: list the best heads.")
    String tail;

    @Option(names = "--relation", required = true, description = "Relation name.")
    String relation;

    @Option(names = "--k", defaultValue = "10", description = "Entities to list (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--filtered", description = "Leave out entities already known in that position.")
    boolean filtered;

    @Override
    public Integer call() {
        try (EmbeddingModel model = EmbeddingModel.open(graph.dir(), checkpoint.dir())) {
            if ((head == null) == (tail == null)) {
                throw new IllegalArgumentException(
                        "give exactly one of --head (to list tails) and --tail (to list " + "heads)");
            }
            if (head != null) {
                Ranked.print(
                        head + " " + relation + " ?",
                        "score",
                        model.topTails(head, relation, k, filtered),
                        output.json);
            } else {
                Ranked.print(
                        "? " + relation + " " + tail,
                        "score",
                        model.topHeads(relation, tail, k, filtered),
                        output.json);
            }
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }
}
