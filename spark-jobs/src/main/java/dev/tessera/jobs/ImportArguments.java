package dev.tessera.jobs;

import dev.tessera.partitioner.InputFormat;
import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The arguments of an import, as {@code bin/tessera import} and {@code spark-submit --class
 * dev.tessera.jobs.ImportJob} both take them.
 */
public final class ImportArguments {
    @Option(names = "--config", required = true, description = "YAML or JSON config (entities, relations, ...).")
    Path config;

    @Option(names = "--edges", required = true, description = "Training edges.")
    String edges;

    @Option(names = "--valid", description = "Validation edges.")
    String valid;

    @Option(names = "--test", description = "Test edges.")
    String test;

    @Option(
            names = "--nodes",
            description = "Entities to import with or without edges, one per line: name, or name<TAB>type "
                    + "(the type is required when the config declares several).")
    String nodes;

    @Option(names = "--out", required = true, description = "Graph directory to create.")
    Path out;

    @Option(
            names = "--partitions",
            description = "Partitions of the partitioned entity types (of all types when the config "
                    + "partitions none); overrides num_partitions.")
    Integer partitions;

    @Option(
            names = "--strategy",
            defaultValue = "hash",
            description = "Partition assignment: hash, degree_balanced or locality (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--format", description = "tsv, csv or parquet (default: from the file name, else tsv).")
    String format;

    @Option(
            names = "--columns",
            description = "Column mapping field=column,... (fields src, rel, dst, weight); "
                    + "header names for CSV/Parquet, 0-based indices for TSV.")
    String columns;

    @Option(
            names = "--max-bad-rows",
            defaultValue = "0",
            description = "Fail when more rows than this are bad (default: ${DEFAULT-VALUE}).")
    long maxBadRows;

    @Option(names = "--overwrite", description = "Replace an existing graph directory.")
    boolean overwrite;

    @Option(
            names = "--broadcast-entities",
            description = "Resolve edges against a dictionary index held by the driver and broadcast to the tasks "
                    + "when the graph has at most this many entities (48-96 bytes of driver heap each), else by a "
                    + "shuffle join, which keeps the driver small but is slower (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ImportOptions.DEFAULT_BROADCAST_LIMIT)
    long broadcastEntities;

    /** The options these arguments describe; an {@link IllegalArgumentException} names the bad one. */
    public ImportOptions toOptions() {
        ImportOptions.Builder b = ImportOptions.builder(config, out)
                .input(Split.TRAIN, edges)
                .nodes(nodes)
                .partitions(partitions)
                .strategy(PartitionStrategy.parse(strategy))
                .columns(columns)
                .maxBadRows(maxBadRows)
                .overwrite(overwrite)
                .broadcastEntityLimit(broadcastEntities);
        if (valid != null) {
            b.input(Split.VALID, valid);
        }
        if (test != null) {
            b.input(Split.TEST, test);
        }
        if (format != null) {
            b.format(InputFormat.parse(format));
        }
        return b.build();
    }
}
