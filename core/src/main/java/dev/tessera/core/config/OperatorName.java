package dev.tessera.core.config;

import java.util.List;

/** A relation operator (PBG's operators): how a relation transforms right-hand-side embeddings. */
public enum OperatorName implements ConfigName {
    NONE("none"),
    TRANSLATION("translation"),
    DIAGONAL("diagonal"),
    LINEAR("linear"),
    AFFINE("affine"),
    COMPLEX_DIAGONAL("complex_diagonal"),
    ROTATE("rotate");

    private final String configName;

    OperatorName(String configName) {
        this.configName = configName;
    }

    /** The value spelt {@code name}; unknown names are refused with the allowed ones and the closest. */
    public static OperatorName of(String name) {
        return ConfigName.parse(OperatorName.class, name, "operator");
    }

    /** Every spelling, in the order the reference and error messages list them. */
    public static List<String> configNames() {
        return ConfigName.configNames(OperatorName.class);
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
