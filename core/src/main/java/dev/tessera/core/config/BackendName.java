package dev.tessera.core.config;

import java.util.List;

/**
 * The implementation of the dense products (DESIGN.md §8): OpenBLAS through JavaCPP (the measured default), ND4J
 * (the optional {@code tessera-nd4j} module, for JVM users who run ND4J or DL4J) and plain Java (no native code).
 */
public enum BackendName implements ConfigName {
    OPENBLAS("openblas"),
    ND4J("nd4j"),
    JAVA("java");

    private final String configName;

    BackendName(String configName) {
        this.configName = configName;
    }

    /** The value spelt {@code name}; unknown names are refused with the allowed ones and the closest. */
    public static BackendName of(String name) {
        return ConfigName.parse(BackendName.class, name, "backend");
    }

    /** Every spelling, in the order the reference and error messages list them. */
    public static List<String> configNames() {
        return ConfigName.configNames(BackendName.class);
    }

    @Override
    public String configName() {
        return configName;
    }

    @Override
    public String toString() {
        return configName;
    }
}
