package dev.tessera.core.config;

import java.util.List;

/**
 * The order in which an epoch visits the P×P edge buckets: PBG's orders plus {@code buffer_aware}. Declared in
 * the order the reference lists them, which is also the order of the trainer's per-order load report.
 */
public enum BucketOrderName implements ConfigName {
    RANDOM("random"),
    AFFINITY("affinity"),
    INSIDE_OUT("inside_out"),
    OUTSIDE_IN("outside_in"),
    BUFFER_AWARE("buffer_aware");

    private final String configName;

    BucketOrderName(String configName) {
        this.configName = configName;
    }

    /** The value spelt {@code name}; unknown names are refused with the allowed ones and the closest. */
    public static BucketOrderName of(String name) {
        return ConfigName.parse(BucketOrderName.class, name, "bucket order");
    }

    /** Every spelling, in the order the reference and error messages list them. */
    public static List<String> configNames() {
        return ConfigName.configNames(BucketOrderName.class);
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
