package dev.tessera.trainer;

import dev.tessera.core.config.ConfigKey;
import dev.tessera.core.config.ConfigSchema;
import dev.tessera.core.config.OperatorName;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A checkpoint's parameters mean something only under the settings that trained them: resuming or updating
 * with another comparator, operator, dimension, global embedding or featurized setting is refused.
 */
public final class ModelCompatibility {
    private ModelCompatibility() {}

    /** A model setting: the key messages name it by and its typed value. */
    private record Setting(ConfigKey key, Function<TesseraConfig, Object> value) {}

    /** The top-level settings that shape the stored parameters (their number, meaning or layout). */
    private static final List<Setting> MODEL_SETTINGS = List.of(
            new Setting(ConfigSchema.DIMENSION, TesseraConfig::dimension),
            new Setting(ConfigSchema.COMPARATOR, TesseraConfig::comparator),
            new Setting(ConfigSchema.GLOBAL_EMB, TesseraConfig::globalEmbeddings),
            new Setting(ConfigSchema.BIAS, TesseraConfig::bias),
            new Setting(ConfigSchema.DYNAMIC_RELATIONS, TesseraConfig::dynamicRelations));

    /** Throws, listing every difference, unless {@code config} describes the model {@code trained} describes. */
    public static void requireSame(TesseraConfig trained, TesseraConfig config, Path dir) {
        List<String> diffs = new ArrayList<>();
        for (Setting s : MODEL_SETTINGS) {
            Object was = s.value().apply(trained);
            Object now = s.value().apply(config);
            if (!Objects.equals(was, now)) {
                diffs.add(s.key().name() + " " + was + " (now " + now + ")");
            }
        }
        for (var type : config.entities()) {
            boolean was = trained.entities().stream().anyMatch(e -> e.name().equals(type.name()) && e.featurized());
            if (was != type.featurized()) {
                diffs.add("entity type '" + type.name() + "' featurized " + was + " (now " + type.featurized() + ")");
            }
        }
        if (trained.relations().size() != config.relations().size()) {
            diffs.add(trained.relations().size() + " relations (now "
                    + config.relations().size() + ")");
        } else {
            for (int r = 0; r < trained.relations().size(); r++) {
                OperatorName was = trained.relations().get(r).operator();
                OperatorName now = config.relations().get(r).operator();
                if (was != now) {
                    diffs.add("relation '" + config.relations().get(r).name() + "' operator " + was + " (now " + now
                            + ")");
                }
            }
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + dir + " was trained with " + diffs
                    + "; resume with the same model settings or train into a new checkpoint directory");
        }
    }

    /** Throws unless checkpoint {@code c} in {@code dir} holds rows of the config's {@code dimension}. */
    public static void requireDimension(Checkpoint c, int dimension, Path dir) {
        if (c.dimension() != dimension) {
            throw new IllegalArgumentException(
                    "checkpoint " + dir + " has dimension " + c.dimension() + " but the config asks for " + dimension);
        }
    }
}
