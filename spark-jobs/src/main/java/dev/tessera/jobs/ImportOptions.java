package dev.tessera.jobs;

import dev.tessera.partitioner.InputFormat;
import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything an import needs besides the Spark session.
 *
 * @param inputs       edge file per split; train is required
 * @param partitions   overrides every entity type's {@code num_partitions} when not null
 * @param format       null means guess from each file's name
 * @param columns      {@code field=column,...} mapping, null for the defaults
 * @param broadcastEntityLimit dictionaries up to this many entities are broadcast to the edge join;
 *                     larger ones are shuffle-joined, which keeps the driver's heap bounded
 */
public record ImportOptions(Path config, Map<Split, String> inputs, Path out, Integer partitions,
                            PartitionStrategy strategy, InputFormat format, String columns, long maxBadRows,
                            boolean overwrite, long broadcastEntityLimit) {
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
    }
}
