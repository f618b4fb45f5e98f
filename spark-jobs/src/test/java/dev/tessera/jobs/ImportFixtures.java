package dev.tessera.jobs;

import dev.tessera.partitioner.InputFormat;
import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Small builders for import tests: write a config, run an import on the shared session. */
public final class ImportFixtures {
    private ImportFixtures() {}

    public static Path config(Path dir, String yaml) {
        try {
            Path c = dir.resolve("config-" + Integer.toHexString(yaml.hashCode()) + ".yaml");
            Files.writeString(c, yaml);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path file(Path dir, String name, String content) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, content);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<Split, String> splits(Path train, Path valid, Path test) {
        Map<Split, String> m = new EnumMap<>(Split.class);
        m.put(Split.TRAIN, train.toString());
        if (valid != null) {
            m.put(Split.VALID, valid.toString());
        }
        if (test != null) {
            m.put(Split.TEST, test.toString());
        }
        return m;
    }

    public static Map<String, Object> run(
            Path config,
            Map<Split, String> inputs,
            Path out,
            Integer partitions,
            PartitionStrategy strategy,
            InputFormat format,
            String columns,
            long maxBad,
            boolean overwrite) {
        return run(ImportOptions.builder(config, out)
                .inputs(inputs)
                .partitions(partitions)
                .strategy(strategy)
                .format(format)
                .columns(columns)
                .maxBadRows(maxBad)
                .overwrite(overwrite)
                .build());
    }

    public static Map<String, Object> run(ImportOptions o) {
        try (SparkProgress progress = new SparkProgress(TestSpark.get(), System.err, false)) {
            return new ImportJob(TestSpark.get(), o, progress).run();
        }
    }

    public static Map<String, Object> run(Path config, Map<Split, String> inputs, Path out, int partitions) {
        return run(config, inputs, out, partitions, PartitionStrategy.HASH, null, null, 0, false);
    }
}
