package dev.tessera.core.config;

import java.util.List;

/** The loss over positive and negative scores (PBG's loss functions). */
public enum LossName implements ConfigName {
    RANKING("ranking"),
    LOGISTIC("logistic"),
    SOFTMAX("softmax"),
    SELF_ADVERSARIAL("self_adversarial");

    private final String configName;

    LossName(String configName) {
        this.configName = configName;
    }

    /** The value spelt {@code name}; unknown names are refused with the allowed ones and the closest. */
    public static LossName of(String name) {
        return ConfigName.parse(LossName.class, name, "loss");
    }

    /** Every spelling, in the order the reference and error messages list them. */
    public static List<String> configNames() {
        return ConfigName.configNames(LossName.class);
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
