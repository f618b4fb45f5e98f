package dev.tessera.benchmarks;

import dev.tessera.jobs.ImportJob;
import dev.tessera.jobs.ImportOptions;
import dev.tessera.jobs.SparkProgress;
import dev.tessera.jobs.TesseraSpark;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Imports a benchmark's dataset through Spark. Apart from {@link TrainBenchmark}, so that the benchmark's
 * training runs can use the training classpath, without Spark's jars, as {@code bin/tessera train} does.
 */
final class BenchmarkGraphs {
    private BenchmarkGraphs() {}

    /** Imports {@code data/{train,valid,test}.tsv} with the config's partitioning (hash) into {@code graph}. */
    static void importTsv(Path config, Path data, Path graph) {
        SparkSession spark = TesseraSpark.session(null);
        try (SparkProgress progress = new SparkProgress(spark, System.err, true)) {
            new ImportJob(
                            spark,
                            ImportOptions.builder(config, graph)
                                    .input(
                                            Split.TRAIN,
                                            data.resolve("train.tsv").toString())
                                    .input(
                                            Split.VALID,
                                            data.resolve("valid.tsv").toString())
                                    .input(Split.TEST, data.resolve("test.tsv").toString())
                                    .build(),
                            progress)
                    .run();
        } finally {
            spark.stop();
        }
    }
}
