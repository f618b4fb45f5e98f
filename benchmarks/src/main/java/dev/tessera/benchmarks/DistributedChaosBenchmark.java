package dev.tessera.benchmarks;

import static dev.tessera.benchmarks.DistributedBenchmark.filteredMrr;
import static dev.tessera.benchmarks.DistributedBenchmark.format;

import dev.tessera.Tessera;
import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.distributed.ChaosRun;
import dev.tessera.distributed.DistributedSettings;
import dev.tessera.distributed.DistributedTrainer;
import dev.tessera.distributed.LocalTrainers;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.StagedDirectory;
import dev.tessera.trainer.TrainingHeap;
import dev.tessera.trainer.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distributed training under faults, the long form of {@code DistributedChaosIT}: one undisturbed run of N
 * trainer processes, then {@code --repeat} chaos runs of the same config ({@link ChaosRun}: random kills of
 * ranks 1..N−2, each replaced, and pauses of rank N−1), each checked against the job's own report, evaluated,
 * and resumed for one more epoch by a single trainer. A run fails unless the report matches what was inflicted,
 * every epoch trained each bucket once, the checkpoint resumes, and its filtered MRR is within 0.03 of the
 * undisturbed run's. Prints one {@code key=value} line ending with {@code failures}.
 *
 * <p>Usage: {@code DistributedChaosBenchmark [--config benchmarks/configs/wn18rels-complex-p8.yaml]
 * [--data ../shared/data/wordnet30/wn18rels] [--work DIR] [--epochs 10] [--trainers 4] [--kills 5]
 * [--repeat 3] [--lease-ms 1000] [--dead-ms 2500] [--pause-ms 1500] [--eval-limit 2000]}
 */
public final class DistributedChaosBenchmark {
    private DistributedChaosBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        Path config = Path.of(a.getOrDefault("config", "benchmarks/configs/wn18rels-complex-p8.yaml"));
        Path data = Path.of(a.getOrDefault("data", "../shared/data/wordnet30/wn18rels"));
        Path work = Path.of(a.getOrDefault("work", System.getProperty("java.io.tmpdir") + "/tessera-chaos-bench"));
        int trainers = Integer.parseInt(a.getOrDefault("trainers", "4"));
        int kills = Integer.parseInt(a.getOrDefault("kills", "5"));
        int repeat = Integer.parseInt(a.getOrDefault("repeat", "3"));
        int evalLimit = Integer.parseInt(a.getOrDefault("eval-limit", "2000"));
        long pauseNanos = Long.parseLong(a.getOrDefault("pause-ms", "1500")) * 1_000_000;
        DistributedSettings settings = DistributedSettings.defaults()
                .withLeaseTimeoutNanos(Long.parseLong(a.getOrDefault("lease-ms", "1000")) * 1_000_000)
                .withDeadAfterNanos(Long.parseLong(a.getOrDefault("dead-ms", "2500")) * 1_000_000)
                .withTransferTimeoutNanos(1_000_000_000L);
        Path graph = work.resolve("graph-" + config.getFileName());
        if (!Files.exists(graph)) {
            BenchmarkGraphs.importTsv(config, data, graph);
        }
        TrainingHeap.keepTight();
        Path configFile = work.resolve("config.yaml");
        Files.writeString(
                configFile,
                ConfigText.set(
                        ConfigText.set(Files.readString(config), "workers", "1"),
                        "num_epochs",
                        a.getOrDefault("epochs", "10")));
        TesseraConfig parsed = ConfigLoader.load(configFile);

        Map<String, String> out = new LinkedHashMap<>();
        out.put("benchmark", "distributed_chaos");
        out.put("config", config.getFileName().toString());
        out.put("trainers", Integer.toString(trainers));
        Path calm = work.resolve("checkpoint-calm");
        StagedDirectory.deleteTree(calm);
        long start = System.nanoTime();
        DistributedTrainer.Result undisturbed = LocalTrainers.train(
                trainers,
                graph,
                calm,
                configFile,
                parsed,
                null,
                settings,
                OpenBlasBackend.bestAvailable(),
                new TrainingListener() {});
        double calmSeconds = (System.nanoTime() - start) / 1e9;
        double calmMrr = filteredMrr(graph, calm, evalLimit);
        out.put("epochs", Integer.toString(undisturbed.training().epochs()));
        out.put("seconds_calm", format(calmSeconds));
        out.put("mrr_calm", format(calmMrr));

        int failures = 0;
        for (int run = 1; run <= repeat; run++) {
            Path checkpoint = work.resolve("checkpoint-chaos-" + run);
            StagedDirectory.deleteTree(checkpoint);
            String k = "_run" + run;
            try {
                ChaosRun.Outcome o = ChaosRun.run(
                        new ChaosRun.Plan(trainers, kills, 300_000_000L, 1_500_000_000L, pauseNanos, run, false),
                        graph,
                        checkpoint,
                        configFile,
                        parsed,
                        settings,
                        OpenBlasBackend.bestAvailable(),
                        new TrainingListener() {});
                double chaosMrr = filteredMrr(graph, checkpoint, evalLimit);
                boolean resumed = resumesOneMoreEpoch(configFile, graph, checkpoint, o.result());
                boolean ok = o.reportMatches()
                        && o.eachBucketOncePerEpoch()
                        && Math.abs(chaosMrr - calmMrr) <= 0.03
                        && o.result().training().epochs()
                                == undisturbed.training().epochs()
                        && resumed;
                failures += ok ? 0 : 1;
                out.put("kills" + k, Integer.toString(o.kills().size()));
                out.put("pauses" + k, Integer.toString(o.pauses()));
                out.put("lapsed_leases" + k, Integer.toString(o.lapsedLeases()));
                out.put(
                        "partitions_restored" + k,
                        Integer.toString(o.reportedMoves().size()));
                out.put("edges_lost" + k, Long.toString(o.reportedEdgesLost()));
                out.put("report_matches" + k, Boolean.toString(o.reportMatches()));
                out.put("each_bucket_once" + k, Boolean.toString(o.eachBucketOncePerEpoch()));
                out.put("resumed" + k, Boolean.toString(resumed));
                out.put("seconds" + k, format(o.seconds()));
                out.put("seconds_lost" + k, format(o.seconds() - calmSeconds));
                out.put("mrr" + k, format(chaosMrr));
                out.put("mrr_delta" + k, format(chaosMrr - calmMrr));
            } catch (RuntimeException e) {
                failures++;
                out.put("error" + k, e.getClass().getSimpleName());
                e.printStackTrace();
            }
            System.err.println("run " + run + ": " + out);
        }
        out.put("failures", Integer.toString(failures));
        StringBuilder line = new StringBuilder();
        out.forEach((key, v) -> line.append(line.length() == 0 ? "" : " ")
                .append(key)
                .append('=')
                .append(v));
        System.out.println(line);
    }

    /** Trains one more epoch on the chaos run's checkpoint with a single trainer. */
    private static boolean resumesOneMoreEpoch(
            Path configFile, Path graph, Path checkpoint, DistributedTrainer.Result chaos) throws Exception {
        int epochs = chaos.training().epochs();
        Path more = configFile.resolveSibling("config-resume.yaml");
        Files.writeString(
                more, ConfigText.set(Files.readString(configFile), "num_epochs", Integer.toString(epochs + 1)));
        return Tessera.train(more, graph, checkpoint, new TrainingListener() {}).epochs() == epochs + 1;
    }
}
