package dev.tessera.benchmarks;

import dev.tessera.core.util.ProcessMemory;
import dev.tessera.jobs.ImportJob;
import dev.tessera.jobs.ImportOptions;
import dev.tessera.jobs.SparkProgress;
import dev.tessera.jobs.TesseraSpark;
import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.Split;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Imports a generated graph and prints one {@code key=value} line: input edges/s, peak RSS of the process
 * and peak heap of the driver JVM (which, in local mode, also runs the tasks), and the same input imported
 * by {@link InMemoryImportBaseline} in a child JVM, with the ratio. Two shapes: {@code powerlaw} (about ten
 * edges per entity, short names: {@link PowerLawGraph}) and {@code entity-heavy} (one new entity per edge,
 * 20–120-byte paths: {@link EntityHeavyGraph}).
 *
 * <p>Usage: {@code ImportBenchmark [--shape powerlaw|entity-heavy] [--edges 10000000] [--nodes 1000000]
 * [--partitions 4] [--strategy hash] [--seed 42] [--baseline true] [--broadcast-entities 5000000]
 * [--work /tmp/tessera-bench]}
 */
public final class ImportBenchmark {
    private ImportBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        long edges = Long.parseLong(a.getOrDefault("edges", "10000000"));
        long nodes = Long.parseLong(a.getOrDefault("nodes", "1000000"));
        int partitions = Integer.parseInt(a.getOrDefault("partitions", "4"));
        long seed = Long.parseLong(a.getOrDefault("seed", "42"));
        PartitionStrategy strategy = PartitionStrategy.parse(a.getOrDefault("strategy", "hash"));
        Path work = Path.of(a.getOrDefault("work", System.getProperty("java.io.tmpdir") + "/tessera-bench"));
        String shape = a.getOrDefault("shape", "powerlaw");
        Path input;
        switch (shape) {
            case "powerlaw" -> {
                input = work.resolve("powerlaw-" + edges + "-" + nodes + "-" + seed + ".tsv");
                if (!Files.exists(input)) {
                    System.err.println("generating " + input + " ...");
                    PowerLawGraph.write(input, edges, nodes, 20, seed);
                }
            }
            case "entity-heavy" -> {
                input = work.resolve("entity-heavy-" + edges + "-" + seed + ".tsv");
                if (!Files.exists(input)) {
                    System.err.println("generating " + input + " ...");
                    EntityHeavyGraph.write(input, edges, seed);
                }
            }
            default -> throw new IllegalArgumentException("--shape: powerlaw or entity-heavy, got " + shape);
        }
        Path config = work.resolve("powerlaw.yaml");
        Files.writeString(
                config, "entities:\n  node: {num_partitions: " + partitions + "}\n" + "discover_relations: true\n");
        HeapSampler heap = new HeapSampler();
        SparkSession spark = TesseraSpark.session(null);
        spark.sparkContext().addSparkListener(new JobTimer());
        Map<String, Object> report;
        try (SparkProgress progress = new SparkProgress(spark, System.err, true)) {
            report = new ImportJob(
                            spark,
                            ImportOptions.builder(config, work.resolve("graph"))
                                    .input(Split.TRAIN, input.toString())
                                    .partitions(partitions)
                                    .strategy(strategy)
                                    .overwrite(true)
                                    .broadcastEntityLimit(Long.parseLong(a.getOrDefault(
                                            "broadcast-entities", "" + ImportOptions.DEFAULT_BROADCAST_LIMIT)))
                                    .build(),
                            progress)
                    .run();
        } finally {
            spark.stop();
        }
        long peakRss = ProcessMemory.peakRssMb();
        String baseline = "";
        if (Boolean.parseBoolean(a.getOrDefault("baseline", "true"))) {
            Map<String, String> b = ChildJvm.run(
                    "baseline",
                    null,
                    InMemoryImportBaseline.class,
                    java.util.List.of(
                            "--input",
                            input.toString(),
                            "--partitions",
                            Integer.toString(partitions),
                            "--out",
                            work.resolve("baseline").toString()));
            double ours = ((Number) report.get("edges_per_s")).doubleValue();
            baseline = String.format(
                    Locale.ROOT,
                    " baseline_seconds=%s baseline_edges_per_s=%s baseline_peak_rss_mb=%s over_baseline=%.3f",
                    b.get("seconds"),
                    b.get("edges_per_s"),
                    b.get("peak_rss_mb"),
                    ours / Double.parseDouble(b.get("edges_per_s")));
            dev.tessera.storage.StagedDirectory.deleteTree(work.resolve("baseline"));
        }
        System.out.printf(
                Locale.ROOT,
                "benchmark=import shape=%s edges=%d entities=%s partitions=%d strategy=%s "
                        + "seconds=%.1f edges_per_s=%d diagonal_fraction=%s peak_rss_mb=%d driver_heap_mb=%d "
                        + "max_heap_mb=%d%s%n",
                shape,
                edges,
                entityCount(report),
                partitions,
                strategy.label(),
                ((Number) report.get("seconds")).doubleValue(),
                ((Number) report.get("edges_per_s")).longValue(),
                report.get("diagonal_fraction"),
                peakRss,
                heap.peakMb(),
                Runtime.getRuntime().maxMemory() >> 20,
                baseline);
    }

    /** Entities the import found, from its report ({@code entities: {type: count}}). */
    @SuppressWarnings("unchecked")
    private static long entityCount(Map<String, Object> report) {
        return ((Map<String, Object>) report.get("entities"))
                .values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
    }

    /** The largest heap in use at any sample (every 50 ms): the driver JVM's real high-water mark. */
    static final class HeapSampler {
        private volatile long peak;

        HeapSampler() {
            Thread t = new Thread(
                    () -> {
                        while (true) {
                            peak = Math.max(
                                    peak,
                                    ManagementFactory.getMemoryMXBean()
                                            .getHeapMemoryUsage()
                                            .getUsed());
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "heap-sampler");
            t.setDaemon(true);
            t.start();
        }

        long peakMb() {
            return peak >> 20;
        }
    }
}
