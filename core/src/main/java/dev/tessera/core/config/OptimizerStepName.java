package dev.tessera.core.config;

import java.util.List;

/** When the optimizers step: after every chunk, or once per batch on its summed gradients (as PBG does). */
public enum OptimizerStepName implements ConfigName {
    CHUNK("chunk"),
    BATCH("batch");

    private final String configName;

    OptimizerStepName(String configName) {
        this.configName = configName;
    }

    /** The value spelt {@code name}; unknown names are refused with the allowed ones and the closest. */
    public static OptimizerStepName of(String name) {
        return ConfigName.parse(OptimizerStepName.class, name, "optimizer step");
    }

    /** Every spelling, in the order the reference and error messages list them. */
    public static List<String> configNames() {
        return ConfigName.configNames(OptimizerStepName.class);
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
