package dev.tessera.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated values of one scope's scalar keys (and lists of integers), every default filled in, read by their
 * {@link ConfigKey} rather than by a spelt-out name. The typed views ({@link TesseraConfig}'s accessors, the GCN
 * settings) are built from these once; nothing else reads a config by key.
 */
public final class ConfigValues {
    /** By key, not by name: keys of different scopes may share a name ({@code batch_size}) but not a value. */
    private final Map<ConfigKey, Object> values;

    ConfigValues(Map<ConfigKey, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public int intValue(ConfigKey key) {
        return ((Number) require(key, ConfigKey.Kind.INT)).intValue();
    }

    public double doubleValue(ConfigKey key) {
        return ((Number) require(key, ConfigKey.Kind.FLOAT)).doubleValue();
    }

    public boolean boolValue(ConfigKey key) {
        return (Boolean) require(key, ConfigKey.Kind.BOOL);
    }

    public String stringValue(ConfigKey key) {
        return (String) require(key, ConfigKey.Kind.STRING);
    }

    /** A choice's value as its enum, which must be the one the key was declared with. */
    public <E extends Enum<E> & ConfigName> E choice(ConfigKey key, Class<E> type) {
        return ConfigName.parse(type, (String) require(key, ConfigKey.Kind.ENUM), key.name());
    }

    @SuppressWarnings("unchecked")
    public List<Integer> intList(ConfigKey key) {
        return (List<Integer>) require(key, ConfigKey.Kind.INT_LIST);
    }

    /** Whether an optional key (one without a default) is set. */
    public boolean isSet(ConfigKey key) {
        return get(key) != null;
    }

    /** A copy with one value replaced, checked as the loader would check it ({@link ConfigKey#normalize}). */
    public ConfigValues with(ConfigKey key, Object value) {
        get(key);
        Map<ConfigKey, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, key.normalize(value));
        return new ConfigValues(copy);
    }

    /** The values by key name, in schema order, unset optional keys as null: what configs write back as JSON. */
    Map<String, Object> byName() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    /** The key of this scope named {@code name}, if there is one. */
    Optional<ConfigKey> key(String name) {
        return values.keySet().stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The value, null for an unset optional key; a key of another scope is a programming error. */
    Object get(ConfigKey key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("no config key '" + key.name() + "' here");
        }
        return values.get(key);
    }

    private Object require(ConfigKey key, ConfigKey.Kind kind) {
        if (key.kind() != kind) {
            throw new IllegalArgumentException(key.name() + " is a " + key.kind() + " key, not a " + kind + " one");
        }
        Object v = get(key);
        if (v == null) {
            throw new IllegalStateException(key.name() + " is not set and has no default; check isSet first");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigValues v && v.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return byName().toString();
    }
}
