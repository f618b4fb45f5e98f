package dev.tessera.examples;

import dev.tessera.jobs.ImportJob;
import dev.tessera.jobs.ImportOptions;
import dev.tessera.jobs.SparkProgress;
import dev.tessera.jobs.TesseraSpark;
import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.spark.sql.SparkSession;

/**
 * The Java API end to end on the Debian package graph: import it with degree-balanced partitions (five
 * entity types, fourteen relations), then read the store back and list the packages with the most
 * incoming training edges (dependencies, recommends, provides, ...).
 *
 * <p>Usage: {@code bin/run examples DebianDependencies [DATA_DIR] [OUT_DIR]}
 */
public final class DebianDependencies {
    private DebianDependencies() {}

    public static void main(String[] args) {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/debian_packages");
        Path out = Path.of(args.length > 1 ? args[1] : "graphs/debian");
        Map<Split, String> inputs = Map.of(
                Split.TRAIN,
                data.resolve("train.tsv").toString(),
                Split.VALID,
                data.resolve("valid.tsv").toString(),
                Split.TEST,
                data.resolve("test.tsv").toString());
        ImportOptions options = ImportOptions.builder(Path.of("examples/configs/debian.yaml"), out)
                .inputs(inputs)
                .strategy(PartitionStrategy.DEGREE_BALANCED)
                .overwrite(true)
                .build();
        SparkSession spark = TesseraSpark.session(null);
        try (SparkProgress progress = new SparkProgress(spark, System.err, true)) {
            Map<String, Object> report = new ImportJob(spark, options, progress).run();
            System.out.println("imported: " + report.get("entities") + ", edges " + report.get("edges")
                    + ", bucket imbalance " + report.get("bucket_imbalance"));
        } finally {
            spark.stop();
        }
        try (GraphStore store = GraphStore.openReadOnly(out)) {
            GraphMeta meta = store.meta();
            int type = meta.schema().entityTypeId("package");
            long[] counts = meta.entityCounts("package");
            // (in-degree, partition, offset) of the ten most depended-upon packages.
            PriorityQueue<long[]> top = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
            for (int part = 0; part < counts.length; part++) {
                int[] in = store.degrees(type, part, (int) counts[part])[1];
                for (int off = 0; off < in.length; off++) {
                    top.add(new long[] {in[off], part, off});
                    if (top.size() > 10) {
                        top.poll();
                    }
                }
            }
            System.out.println("most incoming edges among " + meta.entityCount("package") + " packages:");
            top.stream()
                    .sorted((a, b) -> Long.compare(b[0], a[0]))
                    .forEach(t ->
                            System.out.printf("  %-30s %,d%n", store.entityName(type, (int) t[1], (int) t[2]), t[0]));
            System.out.printf("train edges in diagonal buckets: %.1f%%%n", 100 * meta.diagonalFraction(Split.TRAIN));
        }
    }
}
