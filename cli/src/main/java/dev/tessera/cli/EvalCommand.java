package dev.tessera.cli;

import dev.tessera.core.util.Json;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.Split;
import dev.tessera.storage.TrainedGraph;
import dev.tessera.trainer.eval.Evaluator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "Rank a split's edges against all entities or a sample of them (MRR, MR, Hits@1/10/50, AUC), "
                + "raw or filtered.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    GraphOption graph;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    JsonOption output;

    @Option(names = "--split", defaultValue = "test", description = "train, valid or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--filtered", description = "Remove every other known true edge from the candidates.")
    boolean filtered;

    @Option(names = "--limit", defaultValue = "0", description = "Rank at most this many edges (0 = all).")
    int limit;

    @Option(
            names = "--sampled-negatives",
            defaultValue = "0",
            description = "Rank against this many uniformly "
                    + "drawn entities per block of queries instead of all entities (0 = all), for graphs too large for full "
                    + "ranking.")
    int sampledNegatives;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the sampled negatives.")
    long seed;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
        try (TrainedGraph t = TrainedGraph.open(graph.dir(), checkpoint.dir())) {
            Map<String, Object> m = new Evaluator(t.graph(), t.checkpoint(), OpenBlasBackend.bestAvailable())
                    .evaluate(Split.parse(split), filtered, limit, sampledNegatives, seed);
            if (output.json) {
                System.out.println(Json.write(m));
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "%s %s%s: MRR %.4f  MR %.1f  Hits@1 %.4f  Hits@10 %.4f  Hits@50 %.4f  "
                                + "AUC %.4f  (%d ranks)%n",
                        split,
                        filtered ? "filtered" : "raw",
                        sampledNegatives > 0 ? ", against " + sampledNegatives + " sampled entities" : "",
                        m.get("mrr"),
                        m.get("mr"),
                        m.get("hits1"),
                        m.get("hits10"),
                        m.get("hits50"),
                        m.get("auc"),
                        m.get("count"));
                ((Map<String, Object>) m.get("per_relation"))
                        .forEach((rel, v) -> System.out.printf(
                                Locale.ROOT,
                                "  %-32s MRR %.4f  Hits@10 %.4f  (%s)%n",
                                rel,
                                ((Map<String, Object>) v).get("mrr"),
                                ((Map<String, Object>) v).get("hits10"),
                                ((Map<String, Object>) v).get("count")));
            }
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }
}
