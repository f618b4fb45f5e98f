package dev.tessera.core.config;

import java.util.List;

/** The regularizer applied when {@code regularization_coef} is positive. */
public enum RegularizerName implements ConfigName {
    N3("N3");

    private final String configName;

    RegularizerName(String configName) {
        this.configName = configName;
    }

    /** The value spelt {@code name}; unknown names are refused with the allowed ones and the closest. */
    public static RegularizerName of(String name) {
        return ConfigName.parse(RegularizerName.class, name, "regularizer");
    }

    /** Every spelling, in the order the reference and error messages list them. */
    public static List<String> configNames() {
        return ConfigName.configNames(RegularizerName.class);
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
