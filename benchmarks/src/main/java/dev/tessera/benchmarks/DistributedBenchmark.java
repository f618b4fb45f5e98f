package dev.tessera.benchmarks;

import dev.tessera.Tessera;
import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.distributed.AeronThroughput;
import dev.tessera.distributed.DistributedSettings;
import dev.tessera.distributed.DistributedTrainer;
import dev.tessera.distributed.LocalTrainers;
import dev.tessera.distributed.PartitionTransferProbe;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.storage.StagedDirectory;
import dev.tessera.storage.TrainedGraph;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingHeap;
import dev.tessera.trainer.TrainingListener;
import dev.tessera.trainer.eval.Evaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;

/**
 * The cost of distribution on one machine, measured side by side in one run: the same config trained by
 * 1 trainer × 2 workers (in this process), 2 trainers × 1 worker and 4 trainers × 1 worker (processes on
 * loopback), each from scratch, then filtered test MRR of each; and raw Aeron throughput between two
 * processes, against which the partition transfers' rate is reported. Prints one {@code key=value} line.
 *
 * <p>Usage: {@code DistributedBenchmark [--config benchmarks/configs/wn18rels-complex-p8.yaml]
 * [--data ../shared/data/wordnet30/wn18rels] [--work /tmp/tessera-distributed-bench] [--epochs N]
 * [--eval-limit N] [--setups 1x2,2x1,4x1|none] [--probe-mib 2048]} ({@code none}: the Aeron probe alone)
 */
public final class DistributedBenchmark {
    private DistributedBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        Path config = Path.of(a.getOrDefault("config", "benchmarks/configs/wn18rels-complex-p8.yaml"));
        Path data = Path.of(a.getOrDefault("data", "../shared/data/wordnet30/wn18rels"));
        Path work =
                Path.of(a.getOrDefault("work", System.getProperty("java.io.tmpdir") + "/tessera-distributed-bench"));
        Path graph = work.resolve("graph-" + config.getFileName());
        if (!Files.exists(graph)) {
            BenchmarkGraphs.importTsv(config, data, graph);
        }
        TrainingHeap.keepTight();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("benchmark", "distributed");
        out.put("config", config.getFileName().toString());
        Map<String, Double> edgesPerSecond = new HashMap<>();
        String setups = a.getOrDefault("setups", "1x2,2x1,4x1");
        for (String setup : setups.equals("none") ? new String[0] : setups.split(",")) {
            int trainers = Integer.parseInt(setup.split("x")[0]);
            int workers = Integer.parseInt(setup.split("x")[1]);
            Path checkpoint = work.resolve("checkpoint-" + setup);
            StagedDirectory.deleteTree(checkpoint);
            Path setupConfig = work.resolve("config-" + setup + ".yaml");
            String text = ConfigText.set(Files.readString(config), "workers", Integer.toString(workers));
            if (a.containsKey("epochs")) {
                text = ConfigText.set(text, "num_epochs", a.get("epochs"));
            }
            Files.writeString(setupConfig, text);
            TesseraConfig parsed = ConfigLoader.load(setupConfig);
            Listener progress = new Listener(setup);
            double eps;
            if (trainers == 1) {
                Trainer.Result r = Tessera.train(setupConfig, graph, checkpoint, progress);
                eps = r.edgesPerSecond();
                out.put("seconds_" + setup, format(r.seconds()));
            } else {
                DistributedTrainer.Result r = LocalTrainers.train(
                        trainers,
                        graph,
                        checkpoint,
                        setupConfig,
                        parsed,
                        null,
                        DistributedSettings.defaults(),
                        OpenBlasBackend.bestAvailable(),
                        progress);
                long edges = 0;
                Map<Integer, Long> lastBytes = new HashMap<>();
                for (Map<String, Object> e : r.trainerEpochs()) {
                    edges += ((Number) e.get("edges")).longValue();
                    lastBytes.merge(
                            ((Number) e.get("trainer")).intValue(),
                            ((Number) e.get("bytes_sent")).longValue(),
                            Math::max);
                }
                long bytesSent =
                        lastBytes.values().stream().mapToLong(Long::longValue).sum();
                eps = edges / r.training().seconds();
                out.put("seconds_" + setup, format(r.training().seconds()));
                out.put(
                        "bytes_per_epoch_" + setup,
                        Long.toString(bytesSent / Math.max(1, r.training().epochs())));
                out.put(
                        "rank0_transfer_gib_s_" + setup,
                        format(r.partitionBytesMoved() / Math.max(r.partitionTransferSeconds(), 1e-9) / (1L << 30)));
                out.put("rank0_home_mb_" + setup, Long.toString(r.homeBytes() >> 20));
                out.put("max_parameter_staleness_s_" + setup, format(r.maxSecondsBetweenParameterPushes()));
            }
            edgesPerSecond.put(setup, eps);
            out.put("edges_per_s_" + setup, Long.toString(Math.round(eps)));
            out.put(
                    "mrr_" + setup,
                    format(filteredMrr(graph, checkpoint, Integer.parseInt(a.getOrDefault("eval-limit", "2000")))));
            System.err.println(setup + ": " + out);
        }
        if (edgesPerSecond.containsKey("1x2") && edgesPerSecond.containsKey("2x1")) {
            out.put("ratio_2x1_over_1x2", format(edgesPerSecond.get("2x1") / edgesPerSecond.get("1x2")));
        }
        long probeBytes = Long.parseLong(a.getOrDefault("probe-mib", "2048")) << 20;
        double raw = AeronThroughput.measure(probeBytes, 4 << 20);
        out.put("aeron_raw_gib_s", format(raw));
        // Raw again with one core kept busy, as a training worker keeps it while its trainer serves a fetch.
        double rawLoaded = withOneCoreBusy(() -> AeronThroughput.measure(probeBytes, 4 << 20));
        out.put("aeron_raw_one_core_busy_gib_s", format(rawLoaded));
        // The protocol alone, on a partition of the largest size this graph has.
        double protocol = PartitionTransferProbe.measure(largestPartitionRows(graph), dimension(config), probeBytes);
        out.put("protocol_gib_s", format(protocol));
        out.put("protocol_fraction", format(protocol / raw));
        if (out.containsKey("rank0_transfer_gib_s_2x1")) {
            double transfers = Double.parseDouble(out.get("rank0_transfer_gib_s_2x1"));
            out.put("transfer_fraction_2x1", format(transfers / raw));
            out.put("transfer_fraction_2x1_of_one_core_busy", format(transfers / rawLoaded));
        }
        out.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        System.out.println(keyValueLine(out));
    }

    /** Filtered test MRR of {@code checkpoint} over the first {@code limit} test edges (0: all). */
    static double filteredMrr(Path graph, Path checkpoint, int limit) {
        try (TrainedGraph t = TrainedGraph.open(graph, checkpoint)) {
            Map<String, Object> m = new Evaluator(t.graph(), t.checkpoint(), OpenBlasBackend.bestAvailable())
                    .evaluate(Split.TEST, true, limit);
            return ((Number) m.get("mrr")).doubleValue();
        }
    }

    /** The benchmark's final line: {@code key=value} pairs in order, space-separated. */
    static String keyValueLine(Map<String, String> out) {
        StringBuilder line = new StringBuilder();
        out.forEach((k, v) ->
                line.append(line.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return line.toString();
    }

    /** Runs {@code probe} while a thread spins on one core. */
    private static double withOneCoreBusy(DoubleSupplier probe) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread spinner = new Thread(() -> {
            long n = 0;
            while (!stop.get()) {
                n++;
            }
            if (n == 42) {
                System.err.print(""); // keeps the loop from being optimised away
            }
        });
        spinner.setDaemon(true);
        spinner.start();
        try {
            return probe.getAsDouble();
        } finally {
            stop.set(true);
            spinner.join();
        }
    }

    private static int largestPartitionRows(Path graph) {
        try (GraphStore g = GraphStore.openReadOnly(graph)) {
            GraphMeta meta = g.meta();
            long max = 0;
            for (String type : meta.entityTotals().keySet()) {
                max = Math.max(max, meta.largestPartition(type));
            }
            return Math.toIntExact(max);
        }
    }

    private static int dimension(Path config) {
        return ConfigLoader.load(config).dimension();
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A line per epoch on stderr. */
    private record Listener(String setup) implements TrainingListener {
        @Override
        public void onEpoch(int epoch, double loss, double edgesPerSecond) {
            System.err.printf(
                    Locale.ROOT, "[%s] epoch %d loss %.4f, %,.0f edges/s%n", setup, epoch + 1, loss, edgesPerSecond);
        }
    }
}
