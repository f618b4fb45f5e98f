package dev.tessera.trainer;

import dev.tessera.core.config.TesseraConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint's parameters mean something only under the settings that trained them: resuming or updating
 * with another comparator, operator, dimension, global embedding or featurized setting is refused.
 */
public final class ModelCompatibility {
    private ModelCompatibility() {
    }

    /** Throws, listing every difference, unless {@code config} describes the model {@code trained} describes. */
    public static void requireSame(TesseraConfig trained, TesseraConfig config, Path dir) {
        List<String> diffs = new ArrayList<>();
        for (String key : List.of("dimension", "comparator", "global_emb", "bias", "dynamic_relations")) {
            if (!String.valueOf(trained.get(key)).equals(String.valueOf(config.get(key)))) {
                diffs.add(key + " " + trained.get(key) + " (now " + config.get(key) + ")");
            }
        }
        for (var type : config.entities()) {
            boolean was = trained.entities().stream().anyMatch(e -> e.name().equals(type.name()) && e.featurized());
            if (was != type.featurized()) {
                diffs.add("entity type '" + type.name() + "' featurized " + was + " (now " + type.featurized() + ")");
            }
        }
        if (trained.relations().size() != config.relations().size()) {
            diffs.add(trained.relations().size() + " relations (now " + config.relations().size() + ")");
        } else {
            for (int r = 0; r < trained.relations().size(); r++) {
                String was = trained.relations().get(r).operator();
                String now = config.relations().get(r).operator();
                if (!was.equals(now)) {
                    diffs.add("relation '" + config.relations().get(r).name() + "' operator " + was + " (now " + now + ")");
                }
            }
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + dir + " was trained with " + diffs
                    + "; resume with the same model settings or train into a new checkpoint directory");
        }
    }
}
