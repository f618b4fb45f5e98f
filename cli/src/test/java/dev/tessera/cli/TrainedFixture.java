package dev.tessera.cli;

import dev.tessera.Tessera;
import dev.tessera.jobs.ImportFixtures;
import dev.tessera.jobs.TestSpark;
import dev.tessera.trainer.TrainingListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A small real graph imported and trained briefly, and the CLI run in-process with its stdout captured. */
final class TrainedFixture {
    record Trained(Path graph, Path checkpoint) {}

    /** What one CLI run returned and printed on stdout. */
    record Run(int exitCode, String stdout) {}

    private TrainedFixture() {}

    /** {@code kg/<dataset>} imported into two partitions and trained for a few epochs with ComplEx. */
    static Trained train(Path tmp, String dataset, String comparator) {
        Path config = ImportFixtures.config(
                tmp,
                "entities:\n  e: {num_partitions: 2}\ndiscover_relations: true\n"
                        + "relation_template: {operator: complex_diagonal}\ndimension: 16\ncomparator: " + comparator
                        + "\nloss_fn: softmax\nnum_batch_negs: 20\nnum_uniform_negs: 20\nlr: 0.1\nnum_epochs: 5\n"
                        + "workers: 1\nseed: 3\n");
        Path data = TestSpark.data("kg/" + dataset);
        Path graph = tmp.resolve(dataset + "-graph");
        ImportFixtures.run(
                config,
                ImportFixtures.splits(data.resolve("train.txt"), data.resolve("valid.txt"), data.resolve("test.txt")),
                graph,
                2);
        Path checkpoint = tmp.resolve(dataset + "-ck");
        Tessera.train(config, graph, checkpoint, new TrainingListener() {});
        return new Trained(graph, checkpoint);
    }

    /** Runs {@code bin/tessera args...} in this JVM. */
    static synchronized Run cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            int code = dev.tessera.cli.TesseraCli.run(args, null);
            out.flush();
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }
}
