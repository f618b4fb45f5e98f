package dev.tessera.trainer;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a run starts: after the checkpoint's last complete epoch, or at the beginning of an empty
 * checkpoint directory.
 *
 * @param epoch            epochs already trained
 * @param version          the committed checkpoint version (0: none)
 * @param paramsVersion    the data version holding the shared parameters (0: initialise them)
 * @param partitionVersion {@code [type][part]} → the data version holding the partition (0: initialise it)
 * @param history          the finished epochs' records
 * @param best             the best validated state so far (null: none)
 */
public record ResumePoint(
        int epoch,
        int version,
        int paramsVersion,
        int[][] partitionVersion,
        List<Map<String, Object>> history,
        Checkpoint.Best best) {

    /**
     * Finds where to resume in {@code checkpoints}, refusing a checkpoint trained with another model, and
     * records {@code config} as the checkpoint's training config (scoring reads it, so it is written only
     * once it is known to describe the stored model).
     */
    public static ResumePoint of(CheckpointStore checkpoints, TesseraConfig config, int dimension, int[] partsOfType) {
        ResumePoint start = read(checkpoints, config, dimension, partsOfType);
        checkpoints.writeConfig(config.toJson());
        return start;
    }

    /**
     * Finds where to resume in {@code checkpoints} without writing to it (a trainer that is not the one
     * committing the checkpoint), refusing a checkpoint trained with another model.
     */
    public static ResumePoint read(
            CheckpointStore checkpoints, TesseraConfig config, int dimension, int[] partsOfType) {
        Optional<Checkpoint> last = checkpoints.latest();
        if (last.isPresent()) {
            checkpoints
                    .config()
                    .ifPresent(json -> ModelCompatibility.requireSame(
                            ConfigLoader.parseStored(json, checkpoints.dir() + " (training config)"),
                            config,
                            checkpoints.dir()));
        }
        if (last.isEmpty()) {
            int[][] fresh = new int[partsOfType.length][];
            for (int t = 0; t < partsOfType.length; t++) {
                fresh[t] = new int[partsOfType[t]];
            }
            return new ResumePoint(0, 0, 0, fresh, new ArrayList<>(), null);
        }
        Checkpoint c = last.get();
        ModelCompatibility.requireDimension(c, dimension, checkpoints.dir());
        return new ResumePoint(
                c.epochs(),
                c.version(),
                c.paramsVersion(),
                c.partitionVersion(),
                new ArrayList<>(c.history()),
                c.best());
    }
}
