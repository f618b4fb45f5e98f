package dev.tessera.jobs;

import dev.tessera.partitioner.InputFormat;
import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything an import needs besides the Spark session.
 *
 * @param inputs       edge file per split; train is required
 * @param nodes        a node file ({@code name[<TAB>type]} per line) of entities to import with or without
 *                     edges, or null
 * @param partitions   overrides every entity type's {@code num_partitions} when not null
 * @param format       null means guess from each file's name
 * @param columns      {@code field=column,...} mapping, null for the defaults
 * @param broadcastEntityLimit dictionaries up to this many entities are broadcast to the edge join;
 *                     larger ones are shuffle-joined, which keeps the driver's heap bounded
 */
public record ImportOptions(
        Path config,
        Map<Split, String> inputs,
        String nodes,
        Path out,
        Integer partitions,
        PartitionStrategy strategy,
        InputFormat format,
        String columns,
        long maxBadRows,
        boolean overwrite,
        long broadcastEntityLimit) {
    public static final long DEFAULT_BROADCAST_LIMIT = 5_000_000;

    public ImportOptions {
        if (!inputs.containsKey(Split.TRAIN)) {
            throw new IllegalArgumentException("an import needs training edges (--edges)");
        }
        if (partitions != null && (partitions < 1 || partitions > 32_768)) {
            throw new IllegalArgumentException("--partitions " + partitions + " is out of range; allowed: [1, 32768]");
        }
        if (maxBadRows < 0) {
            throw new IllegalArgumentException("--max-bad-rows must be >= 0");
        }
        if (broadcastEntityLimit < 0) {
            throw new IllegalArgumentException("--broadcast-entities must be >= 0");
        }
    }

    /** Options for importing into {@code out} with {@code config}; add at least the training edges. */
    public static Builder builder(Path config, Path out) {
        return new Builder(config, out);
    }

    /** Options with the defaults of {@code bin/tessera import}: hash partitions, no bad row tolerated. */
    public static final class Builder {
        private final Path config;
        private final Path out;
        private final Map<Split, String> inputs = new EnumMap<>(Split.class);
        private String nodes;
        private Integer partitions;
        private PartitionStrategy strategy = PartitionStrategy.HASH;
        private InputFormat format;
        private String columns;
        private long maxBadRows;
        private boolean overwrite;
        private long broadcastEntityLimit = DEFAULT_BROADCAST_LIMIT;

        private Builder(Path config, Path out) {
            this.config = config;
            this.out = out;
        }

        /** The edge files of a split (a comma-separated list or a directory). */
        public Builder input(Split split, String files) {
            inputs.put(split, files);
            return this;
        }

        public Builder inputs(Map<Split, String> files) {
            inputs.putAll(files);
            return this;
        }

        /** A node file (or a comma-separated list, or a directory) of entities with or without edges. */
        public Builder nodes(String files) {
            this.nodes = files;
            return this;
        }

        /** Overrides every partitioned entity type's {@code num_partitions}; null keeps the config's. */
        public Builder partitions(Integer partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder strategy(PartitionStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /** The input format; null guesses it from each file's name. */
        public Builder format(InputFormat format) {
            this.format = format;
            return this;
        }

        /** A {@code field=column,...} mapping; null keeps the defaults. */
        public Builder columns(String columns) {
            this.columns = columns;
            return this;
        }

        public Builder maxBadRows(long maxBadRows) {
            this.maxBadRows = maxBadRows;
            return this;
        }

        public Builder overwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        public Builder broadcastEntityLimit(long limit) {
            this.broadcastEntityLimit = limit;
            return this;
        }

        public ImportOptions build() {
            return new ImportOptions(
                    config,
                    new EnumMap<>(inputs),
                    nodes,
                    out,
                    partitions,
                    strategy,
                    format,
                    columns,
                    maxBadRows,
                    overwrite,
                    broadcastEntityLimit);
        }
    }
}
