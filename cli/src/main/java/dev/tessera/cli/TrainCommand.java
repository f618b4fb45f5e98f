package dev.tessera.cli;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.util.Json;
import dev.tessera.core.util.ProcessMemory;
import dev.tessera.distributed.DistributedSettings;
import dev.tessera.distributed.DistributedTrainer;
import dev.tessera.distributed.JobProgress;
import dev.tessera.distributed.LocalTrainers;
import dev.tessera.model.backend.Backends;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.trainer.BucketOrder;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingConfig;
import dev.tessera.trainer.TrainingHeap;
import dev.tessera.trainer.TrainingListener;
import dev.tessera.trainer.TrainingSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train embeddings of an imported graph; resumes from the checkpoint's last complete epoch.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    GraphOption graph;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    JsonOption output;

    @Option(names = "--config", required = true, description = "YAML or JSON config (model and training settings).")
    Path config;

    @Option(names = "--epochs", description = "Train until this many epochs are done (overrides num_epochs).")
    Integer epochs;

    @Option(
            names = "--trainers",
            defaultValue = "1",
            description = "Trainer processes on this machine, talking over loopback (default ${DEFAULT-VALUE}).")
    int trainers;

    @Option(
            names = "--secret-file",
            description = "A shared secret the trainers prove to each other (distributed training only).")
    Path secretFile;

    @Override
    public Integer call() {
        if (trainers > 1) {
            return trainDistributed();
        }
        if (trainers < 1) {
            return Output.failure(new IllegalArgumentException("--trainers must be at least 1"), output.json);
        }
        try (GraphStore g = GraphStore.openReadOnly(graph.dir());
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(checkpoint.dir(), g.meta().fingerprint())) {
            TesseraConfig user = ConfigLoader.load(config);
            if (epochs != null) {
                user = user.withNumEpochs(epochs);
            }
            TesseraConfig effective = TrainingConfig.merge(g.meta().schema(), user);
            TrainingHeap.keepTight();
            Trainer.Result r =
                    new Trainer(g, ck, effective, Backends.create(effective.backend())).train(new Progress(System.err));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("epochs", r.epochs());
            out.put("seconds", Math.round(r.seconds() * 100) / 100.0);
            out.put("edges_per_s", Math.round(r.edgesPerSecond()));
            out.put("final_loss", r.finalLoss());
            out.put("peak_rss_mb", ProcessMemory.peakRssMb());
            out.put("io_wait_seconds", Math.round(r.waitSeconds() * 100) / 100.0);
            out.put("partition_loads", r.partitionLoads());
            TrainingSettings s = TrainingSettings.of(effective);
            Map<String, Integer> byOrder =
                    BucketOrder.loadsPerEpoch(g.meta().numPartitions(), s.bufferPartitions(), s.seed());
            out.put("partition_loads_per_epoch_by_order", byOrder);
            System.out.println(
                    output.json
                            ? Json.write(out)
                            : String.format(
                                    Locale.ROOT,
                                    "trained %d epochs in %.1f s (%,d edges/s), final loss %.4f; checkpoint %s%n"
                                            + "partition loads: %d in all, %.1f s waiting on I/O; per epoch by bucket order (P=%d, "
                                            + "buffer %d): %s",
                                    r.epochs(),
                                    r.seconds(),
                                    Math.round(r.edgesPerSecond()),
                                    r.finalLoss(),
                                    checkpoint.dir(),
                                    r.partitionLoads(),
                                    r.waitSeconds(),
                                    g.meta().numPartitions(),
                                    s.bufferPartitions(),
                                    byOrder));
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }

    private int trainDistributed() {
        try {
            TesseraConfig user = ConfigLoader.load(config);
            if (epochs != null) {
                user = user.withNumEpochs(epochs);
            }
            DistributedSettings settings = DistributedSettings.defaults();
            if (secretFile != null) {
                settings = settings.withSecretFile(secretFile);
            }
            TrainingHeap.keepTight();
            DistributedTrainer.Result d = LocalTrainers.train(
                    trainers,
                    graph.dir(),
                    checkpoint.dir(),
                    config,
                    user,
                    epochs,
                    settings,
                    Backends.create(user.backend()),
                    new JobProgressLine(System.err));
            Trainer.Result r = d.training();
            long edges = d.trainerEpochs().stream()
                    .mapToLong(e -> ((Number) e.get("edges")).longValue())
                    .sum();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("epochs", r.epochs());
            out.put("trainers", d.trainers());
            out.put("seconds", Math.round(r.seconds() * 100) / 100.0);
            out.put("edges_per_s", Math.round(edges / Math.max(r.seconds(), 1e-9)));
            out.put("final_loss", r.finalLoss());
            out.put("buckets_per_epoch", d.epochs());
            out.put("trainer_epochs", d.trainerEpochs());
            out.put("rank0_bytes_sent", d.bytesSent());
            out.put("rank0_bytes_received", d.bytesReceived());
            out.put("rank0_home_bytes", d.homeBytes());
            out.put("max_seconds_between_parameter_pushes", d.maxSecondsBetweenParameterPushes());
            out.put("refused_joins", d.refusedJoins());
            System.out.println(
                    output.json
                            ? Json.write(out)
                            : String.format(
                                    Locale.ROOT,
                                    "trained %d epochs with %d trainers in %.1f s (%,d edges/s in all), final loss %.4f;"
                                            + " checkpoint %s",
                                    r.epochs(),
                                    d.trainers(),
                                    r.seconds(),
                                    Math.round(edges / Math.max(r.seconds(), 1e-9)),
                                    r.finalLoss(),
                                    checkpoint.dir()));
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }

    /** A progress line per bucket: epoch, share of the epoch, edges/s, mean loss and the epoch's ETA. */
    static final class Progress implements TrainingListener {
        private final java.io.PrintStream out;
        private final boolean terminal = System.console() != null;
        private long epochStart = System.nanoTime();
        private long lastPrinted;

        Progress(java.io.PrintStream out) {
            this.out = out;
        }

        @Override
        public void onBucket(int epoch, int bucket, int buckets, long done, long total, double loss) {
            double s = (System.nanoTime() - epochStart) / 1e9;
            double rate = done / Math.max(s, 1e-9);
            String line = String.format(
                    Locale.ROOT,
                    "[train] epoch %d %3.0f%% %,.0f edges/s loss %.4f ETA %.0fs",
                    epoch + 1,
                    100.0 * done / Math.max(1, total),
                    rate,
                    loss,
                    (total - done) / Math.max(rate, 1e-9));
            if (terminal) {
                out.print("\r" + line + "   ");
            } else if (System.nanoTime() - lastPrinted > 10_000_000_000L) {
                out.println(line);
                lastPrinted = System.nanoTime();
            }
        }

        @Override
        public void onEpoch(int epoch, double loss, double edgesPerSecond) {
            // The next epoch's clock starts here: restarting it when the first bucket reports (its edges already
            // done) divided them by almost no time.
            epochStart = System.nanoTime();
            out.printf(
                    Locale.ROOT,
                    "%s[train] epoch %d done: loss %.4f, %,.0f edges/s%n",
                    terminal ? "\r" : "",
                    epoch + 1,
                    loss,
                    edgesPerSecond);
        }
    }

    /**
     * The whole job's progress line with several trainers: the share of the epoch's buckets done, edges/s
     * in all and per trainer, and the bytes the trainers have sent (rank 0's epoch lines as with one trainer).
     */
    static final class JobProgressLine implements TrainingListener, JobProgress.Listener {
        private final java.io.PrintStream out;
        private final Progress epochs;
        private final boolean terminal = System.console() != null;
        private long lastPrinted;

        JobProgressLine(java.io.PrintStream out) {
            this.out = out;
            this.epochs = new Progress(out);
        }

        @Override
        public void onJobProgress(JobProgress p) {
            if (!terminal && System.nanoTime() - lastPrinted < 10_000_000_000L) {
                return;
            }
            lastPrinted = System.nanoTime();
            double s = Math.max(p.seconds(), 1e-9);
            StringBuilder perTrainer = new StringBuilder();
            for (int t = 0; t < p.edgesByTrainer().length; t++) {
                perTrainer
                        .append(t == 0 ? "" : " · ")
                        .append(String.format(Locale.ROOT, "t%d %,.0f", t, p.edgesByTrainer()[t] / s));
            }
            double done = p.bucketsDone() / (double) Math.max(1, p.buckets());
            String line = String.format(
                    Locale.ROOT,
                    "[train] epoch %d %3.0f%% (%d/%d buckets) %,.0f edges/s (%s), %,d MB sent, %d/%d trainers live, "
                            + "ETA %.0fs",
                    p.epoch() + 1,
                    100 * done,
                    p.bucketsDone(),
                    p.buckets(),
                    p.edges() / s,
                    perTrainer,
                    p.bytesSent() >> 20,
                    p.liveTrainers(),
                    p.edgesByTrainer().length,
                    done > 0 ? s * (1 - done) / done : 0);
            out.print(terminal ? "\r" + line + "   " : line + "\n");
        }

        @Override
        public void onEpoch(int epoch, double loss, double edgesPerSecond) {
            epochs.onEpoch(epoch, loss, edgesPerSecond);
        }
    }
}
