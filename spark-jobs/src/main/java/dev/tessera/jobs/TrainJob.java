package dev.tessera.jobs;

import dev.tessera.Tessera;
import dev.tessera.core.util.Json;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Trains a graph from a spark-submit run: {@code spark-submit --class dev.tessera.jobs.TrainJob tessera-jobs.jar
 * --config C --graph G --checkpoint CK [--trainers N]}. With one trainer it trains on the driver, as
 * {@code bin/tessera train} does; with N it runs N distributed trainers as a barrier stage
 * ({@link BarrierTrainers}), which needs N task slots at once. The graph and checkpoint directories must be
 * on a file system the driver (and, with N trainers, every executor) reads; the run resumes after the
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

        @Option(
                names = "--trainers",
                defaultValue = "1",
                description = "Trainers, run as one barrier stage on the executors (1: train on the driver).")
        int trainers;

        @Option(
                names = "--interface",
                description = "Network interface the trainers talk on (default: loopback, one machine only).")
        String networkInterface;

        @Option(names = "--secret-file", description = "A shared secret every trainer must prove (same path on all).")
        Path secretFile;
    }

    public static void main(String[] args) {
        Arguments a = new Arguments();
        JobMain.run("TrainJob", "Trains embeddings of an imported graph into a checkpoint directory.", a, args, () -> {
            if (a.trainers > 1) {
                LOG.info("training finished: {}", Json.write(runDistributed(null, a)));
                return null;
            }
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

    /** Trains with {@code a.trainers} trainers as a barrier stage; returns rank 0's summary of the job. */
    static Map<String, Object> runDistributed(String master, Arguments a) {
        String text;
        try {
            text = Files.readString(a.config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + a.config, e);
        }
        BarrierTrainers.Job job = new BarrierTrainers.Job(
                a.trainers,
                a.graph.toAbsolutePath().toString(),
                a.checkpoint.toAbsolutePath().toString(),
                text,
                a.config.toString(),
                null,
                a.networkInterface,
                a.secretFile == null ? null : a.secretFile.toAbsolutePath().toString());
        return TesseraSpark.withSession(master, spark -> BarrierTrainers.run(spark, job));
    }
}
