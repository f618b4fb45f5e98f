package dev.tessera.benchmarks;

import dev.tessera.jobs.ImportJob;
import dev.tessera.jobs.ImportOptions;
import dev.tessera.jobs.SparkProgress;
import dev.tessera.jobs.TesseraSpark;
import dev.tessera.storage.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Imports a benchmark's dataset through Spark. Apart from {@link TrainBenchmark}, so that the benchmark's
 * training runs can use the training classpath, without Spark's jars, as {@code bin/tessera train} does.
 */
final class BenchmarkGraphs {
    private BenchmarkGraphs() {}

    /**
     * Imports {@code data/{train,valid,test}.tsv} (or {@code .txt}, as the link-prediction benchmarks name them)
     * with the config's partitioning (hash) into {@code graph}.
     */
    static void importTsv(Path config, Path data, Path graph) {
        SparkSession spark = TesseraSpark.session(null);
        try (SparkProgress progress = new SparkProgress(spark, System.err, true)) {
            new ImportJob(
                            spark,
                            ImportOptions.builder(config, graph)
                                    .input(Split.TRAIN, split(data, "train"))
                                    .input(Split.VALID, split(data, "valid"))
                                    .input(Split.TEST, split(data, "test"))
                                    .build(),
                            progress)
                    .run();
        } finally {
            spark.stop();
        }
    }

    private static String split(Path data, String name) {
        Path tsv = data.resolve(name + ".tsv");
        return (Files.exists(tsv) ? tsv : data.resolve(name + ".txt")).toString();
    }
}
