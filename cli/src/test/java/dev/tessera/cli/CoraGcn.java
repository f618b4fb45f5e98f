package dev.tessera.cli;

import dev.tessera.jobs.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code bin/tessera gcn --json} on a graph of Cora's papers, with Cora's labels and its Planetoid split. */
final class CoraGcn {
    private static final Path CORA = TestSpark.data("planetoid/cora");

    private CoraGcn() {}

    /** Runs gcn on {@code graph} with {@code extra} arguments after the labels and the split. */
    static TrainedFixture.Run run(Path graph, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "gcn",
                "--graph",
                graph.toString(),
                "--labels",
                CORA.resolve("labels.tsv").toString(),
                "--train",
                CORA.resolve("train_nodes.txt").toString(),
                "--valid",
                CORA.resolve("valid_nodes.txt").toString(),
                "--test",
                CORA.resolve("test_nodes.txt").toString(),
                "--json"));
        args.addAll(List.of(extra));
        return TrainedFixture.cli(args.toArray(String[]::new));
    }
}
