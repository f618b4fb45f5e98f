package dev.tessera.jobs;

import dev.tessera.Tessera;
import dev.tessera.core.util.Json;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingListener;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Trains a graph on the driver of a spark-submit run, as {@code bin/tessera train} does on one machine:
 * {@code spark-submit --class dev.tessera.jobs.TrainJob tessera-jobs.jar --config C --graph G --checkpoint CK}.
 * The graph and checkpoint directories must be on the driver's filesystem; the run resumes after the
 * checkpoint's last complete epoch.
 */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    private TrainJob() {}

    /** The arguments of {@code spark-submit --class dev.tessera.jobs.TrainJob}. */
    static final class Arguments {
        @Option(names = "--config", required = true, description = "YAML or JSON config (model and training).")
        Path config;

        @Option(names = "--graph", required = true, description = "Graph directory (from ImportJob).")
        Path graph;

        @Option(names = "--checkpoint", required = true, description = "Checkpoint directory (created or resumed).")
        Path checkpoint;
    }

    public static void main(String[] args) {
        Arguments a = new Arguments();
        JobMain.run("TrainJob", "Trains embeddings of an imported graph into a checkpoint directory.", a, args, () -> {
            Trainer.Result r = Tessera.train(a.config, a.graph, a.checkpoint, new TrainingListener() {
                @Override
                public void onEpoch(int epoch, double meanLoss, double edgesPerSecond) {
                    LOG.info(String.format(
                            Locale.ROOT, "epoch %d: loss %.4f, %.0f edges/s", epoch + 1, meanLoss, edgesPerSecond));
                }
            });
            LOG.info(
                    "training finished: {}",
                    Json.write(java.util.Map.of(
                            "epochs",
                            r.epochs(),
                            "seconds",
                            r.seconds(),
                            "edges_per_s",
                            r.edgesPerSecond(),
                            "final_loss",
                            r.finalLoss())));
            return null;
        });
    }
}
