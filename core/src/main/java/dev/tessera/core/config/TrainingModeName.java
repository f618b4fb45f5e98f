package dev.tessera.core.config;

import java.util.List;

/**
 * How each training positive meets its negatives: PyTorch-BigGraph's chunks of sampled candidates, or every
 * entity of its partitions at once (the 1-vs-all setting of the published link-prediction results), one query
 * per positive or one per distinct query.
 */
public enum TrainingModeName implements ConfigName {
    CHUNKED("chunked"),
    ONE_VS_ALL("1_vs_all"),
    K_VS_ALL("k_vs_all");

    private final String configName;

    TrainingModeName(String configName) {
        this.configName = configName;
    }

    /** The value spelt {@code name}; unknown names are refused with the allowed ones and the closest. */
    public static TrainingModeName of(String name) {
        return ConfigName.parse(TrainingModeName.class, name, "training_mode");
    }

    /** Every spelling, in the order the reference and error messages list them. */
    public static List<String> configNames() {
        return ConfigName.configNames(TrainingModeName.class);
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The config spelling, so messages and reports print what a config would say. */
    @Override
    public String toString() {
        return configName;
    }
}
