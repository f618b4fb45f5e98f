package dev.tessera.cli;

import dev.tessera.GcnInputs;
import dev.tessera.Tessera;
import dev.tessera.core.config.BackendName;
import dev.tessera.core.util.Json;
import dev.tessera.gcn.GcnProgress;
import dev.tessera.gcn.GcnResult;
import dev.tessera.gcn.GcnSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "gcn",
        mixinStandardHelpOptions = true,
        description = "Node classification with a graph convolutional network (Kipf & Welling) on an imported graph: "
                + "imports the node features into the graph, trains full-batch or on sampled mini-batches, reports accuracy "
                + "on the splits.")
final class GcnCommand implements Callable<Integer> {
    @Mixin
    GraphOption graph;

    @Mixin
    JsonOption output;

    @Option(
            names = "--features",
            description = "Node features, node<TAB>feature<TAB>value (non-zeros); imported "
                    + "into the graph, replacing stored ones. Without it the stored features are used.")
    Path features;

    @Option(names = "--labels", required = true, description = "Node labels, node<TAB>class.")
    Path labels;

    @Option(names = "--train", required = true, description = "Training nodes, one per line.")
    Path train;

    @Option(names = "--valid", required = true, description = "Validation nodes, one per line.")
    Path valid;

    @Option(names = "--test", required = true, description = "Test nodes, one per line.")
    Path test;

    @Option(
            names = "--config",
            description = "YAML with GCN settings (layers, hidden, dropout, learning_rate, "
                    + "weight_decay, weight_decay_all_layers, epochs, normalize_features, renumber_nodes, fanouts, batch_size; see "
                    + "docs/config.md); defaults: Kipf & Welling's Cora setup.")
    Path config;

    @Option(names = "--epochs", description = "Override the number of epochs.")
    Integer epochs;

    @Option(
            names = "--mini-batch",
            description =
                    "Train on sampled neighbourhoods (fanouts, batch_size from the "
                            + "config) with features read from the graph store per batch, for graphs that do not fit in memory.")
    boolean miniBatch;

    @Option(
            names = "--backend",
            defaultValue = "openblas",
            converter = BackendOption.class,
            description = "Dense products on openblas, nd4j or java (default: ${DEFAULT-VALUE}).")
    BackendName backend;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Seed of initialisation and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    /** Reads {@code --backend} by its config spelling, with the config's message for unknown names. */
    static final class BackendOption implements ITypeConverter<BackendName> {
        @Override
        public BackendName convert(String value) {
            return BackendName.of(value);
        }
    }

    @Override
    public Integer call() {
        try {
            GcnSettings settings = config == null ? GcnSettings.KIPF_WELLING : GcnSettings.load(config);
            if (epochs != null) {
                settings = settings.withEpochs(epochs);
            }
            Tessera.GcnRun run = Tessera.gcn(
                    graph.dir(),
                    new GcnInputs(labels, train, valid, test, features),
                    settings,
                    seed,
                    miniBatch,
                    backend,
                    progress());
            GcnResult result = run.result();
            Map<String, Object> report = new LinkedHashMap<>(result.toJson());
            if (miniBatch) {
                report.put("batch_wait_seconds", run.batchWaitSeconds());
            }
            if (output.json) {
                System.out.println(Json.write(report));
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "test accuracy %.4f  validation accuracy %.4f  (%d epochs, %.1f ms per " + "epoch, %.1f s)%n",
                        result.testAccuracy(),
                        result.validAccuracy(),
                        result.epochs(),
                        result.epochMs(),
                        result.seconds());
            }
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }

    /** A line every tenth of the run: epoch, loss, validation accuracy, epochs/s and the time left. */
    private static GcnProgress progress() {
        return (epoch, total, loss, validAccuracy, seconds) -> {
            if (epoch % Math.max(1, total / 10) == 0 || epoch == total) {
                double rate = epoch / seconds;
                System.err.printf(
                        Locale.ROOT,
                        "gcn: epoch %d/%d  loss %.4f  val acc %.4f  %.1f epochs/s  ETA %.0f s%n",
                        epoch,
                        total,
                        loss,
                        validAccuracy,
                        rate,
                        (total - epoch) / rate);
            }
        };
    }
}
