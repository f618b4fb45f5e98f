package dev.tessera.core.config;

import java.util.List;

/**
 * One documented config key: its type, default, allowed values and meaning. The validator and the
 * generated config reference both read these, so the docs cannot drift from the code.
 */
public record ConfigKey(String name, Kind kind, Object defaultValue, boolean required, Range range,
                        List<String> allowed, String description) {

    public enum Kind {
        INT("integer"), FLOAT("number"), BOOL("boolean"), STRING("string"), ENUM("one of"),
        ENTITY_MAP("map of entity type name to entity settings"),
        RELATION_LIST("list of relation settings"),
        RELATION_TEMPLATE("relation settings without a name");

        final String noun;

        Kind(String noun) {
            this.noun = noun;
        }
    }

    public static ConfigKey integer(String name, Integer def, Range range, String description) {
        return new ConfigKey(name, Kind.INT, def, false, range, List.of(), description);
    }

    public static ConfigKey number(String name, Double def, Range range, String description) {
        return new ConfigKey(name, Kind.FLOAT, def, false, range, List.of(), description);
    }

    public static ConfigKey bool(String name, boolean def, String description) {
        return new ConfigKey(name, Kind.BOOL, def, false, null, List.of(), description);
    }

    public static ConfigKey string(String name, String def, boolean required, String description) {
        return new ConfigKey(name, Kind.STRING, def, required, null, List.of(), description);
    }

    /** A choice among an enum's config names; the enum is the one list of them (see {@link ConfigName}). */
    public static <E extends Enum<E> & ConfigName> ConfigKey choice(String name, E def, Class<E> values,
                                                                    String description) {
        return new ConfigKey(name, Kind.ENUM, def.configName(), false, null, ConfigName.configNames(values),
                description);
    }

    public static ConfigKey structure(String name, Kind kind, boolean required, String description) {
        return new ConfigKey(name, kind, null, required, null, List.of(), description);
    }

    /** The type column of the reference table. */
    public String typeDescription() {
        return switch (kind) {
            case ENUM -> "one of `" + String.join("`, `", allowed) + "`";
            case INT, FLOAT -> kind.noun + (range == null ? "" : ", " + range);
            default -> kind.noun;
        };
    }
}
