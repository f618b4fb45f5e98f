package dev.tessera.core.config;

import java.util.List;

/** How a left-hand and a transformed right-hand embedding are scored against each other (PBG's comparators). */
public enum ComparatorName implements ConfigName {
    DOT("dot"),
    COS("cos"),
    L2("l2"),
    SQUARED_L2("squared_l2");

    private final String configName;

    ComparatorName(String configName) {
        this.configName = configName;
    }

    /** The value spelt {@code name}; unknown names are refused with the allowed ones and the closest. */
    public static ComparatorName of(String name) {
        return ConfigName.parse(ComparatorName.class, name, "comparator");
    }

    /** Every spelling, in the order the reference and error messages list them. */
    public static List<String> configNames() {
        return ConfigName.configNames(ComparatorName.class);
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
