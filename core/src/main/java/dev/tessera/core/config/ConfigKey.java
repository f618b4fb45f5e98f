package dev.tessera.core.config;

import dev.tessera.core.util.Strings;
import java.util.List;

/**
 * One documented config key: its type, default, allowed values and meaning. The validator and the
 * generated config reference both read these, so the docs cannot drift from the code.
 */
public record ConfigKey(
        String name,
        Kind kind,
        Object defaultValue,
        boolean required,
        Range range,
        List<String> allowed,
        String description) {

    public enum Kind {
        INT("integer"),
        FLOAT("number"),
        BOOL("boolean"),
        STRING("string"),
        ENUM("one of"),
        INT_LIST("list of integers"),
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
    public static <E extends Enum<E> & ConfigName> ConfigKey choice(
            String name, E def, Class<E> values, String description) {
        return new ConfigKey(
                name, Kind.ENUM, def.configName(), false, null, ConfigName.configNames(values), description);
    }

    /** A list of integers, each within {@code range}. */
    public static ConfigKey integers(String name, List<Integer> def, Range range, String description) {
        return new ConfigKey(
                name, Kind.INT_LIST, def == null ? null : List.copyOf(def), false, range, List.of(), description);
    }

    public static ConfigKey structure(String name, Kind kind, boolean required, String description) {
        return new ConfigKey(name, kind, null, required, null, List.of(), description);
    }

    /** The type column of the reference table. */
    public String typeDescription() {
        return switch (kind) {
            case ENUM -> "one of `" + String.join("`, `", allowed) + "`";
            case INT, FLOAT -> kind.noun + (range == null ? "" : ", " + range);
            case INT_LIST -> kind.noun + (range == null ? "" : ", each " + range);
            default -> kind.noun;
        };
    }

    /** Whether a value of this key is one scalar (so a setting that code may override), not a structure. */
    public boolean isScalar() {
        return switch (kind) {
            case INT, FLOAT, BOOL, STRING, ENUM -> true;
            default -> false;
        };
    }

    /** Why a choice key refuses {@code text}: the allowed names and the closest of them. */
    String notAllowed(String text) {
        return "'" + text + "' is not allowed; allowed: " + String.join(", ", allowed) + " (did you mean '"
                + Strings.closest(text, allowed) + "'?)";
    }

    /**
     * {@code value} as the loader would have stored it (Integer, Double, Boolean or the choice's config name), for
     * settings made in code such as command-line overrides, which never pass through the loader. A value the
     * loader would refuse is an {@link IllegalArgumentException} naming the key, so an override cannot smuggle in
     * what a config file could not.
     */
    public Object normalize(Object value) {
        if (value == null) {
            if (required || defaultValue != null) {
                throw new IllegalArgumentException(name + ": a value is required");
            }
            return null;
        }
        Object out = switch (kind) {
            case INT ->
                value instanceof Number n
                                && n.doubleValue() == Math.rint(n.doubleValue())
                                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE
                        ? (Object) n.intValue()
                        : null;
            case FLOAT -> value instanceof Number n ? (Object) n.doubleValue() : null;
            case BOOL -> value instanceof Boolean ? value : null;
            case STRING -> value instanceof String s && !s.isBlank() ? value : null;
            case ENUM -> value instanceof ConfigName n ? n.configName() : value instanceof String ? value : null;
            default -> throw new IllegalArgumentException(name + " is not a single value that can be set alone");
        };
        if (out == null) {
            throw new IllegalArgumentException(name + ": expected " + typeDescription() + ", got '" + value + "'");
        }
        if (kind == Kind.ENUM && !allowed.contains(out)) {
            throw new IllegalArgumentException(name + ": " + notAllowed((String) out));
        }
        if (range != null && out instanceof Number n && !range.contains(n.doubleValue())) {
            throw new IllegalArgumentException(name + ": " + value + " is out of range; allowed: " + range);
        }
        return out;
    }
}
