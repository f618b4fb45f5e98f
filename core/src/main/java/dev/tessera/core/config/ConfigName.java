package dev.tessera.core.config;

import dev.tessera.core.util.Strings;
import java.util.Arrays;
import java.util.List;

/**
 * A value of a choice key (an operator, a comparator, ...) with its spelling in configs. The enums that implement
 * this are the only list of a choice's names: the schema validates against them, the reference documents them and
 * the code switches on them, so a name cannot be accepted in one place and unknown in another.
 */
public interface ConfigName {
    /** How configs, the reference and stored configs spell this value. */
    String configName();

    /** Every value's spelling, in declaration order (the order messages and the reference list them in). */
    static <E extends Enum<E> & ConfigName> List<String> configNames(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(ConfigName::configName)
                .toList();
    }

    /**
     * The value spelt {@code name}; an unknown name is an {@link IllegalArgumentException} that lists the allowed
     * ones and suggests the closest, as the config loader does.
     *
     * @param what the choice's noun in the message ("comparator", "bucket order", ...)
     */
    static <E extends Enum<E> & ConfigName> E parse(Class<E> type, String name, String what) {
        for (E e : type.getEnumConstants()) {
            if (e.configName().equals(name)) {
                return e;
            }
        }
        List<String> names = configNames(type);
        throw new IllegalArgumentException("unknown " + what + " '" + name + "'; allowed: " + String.join(", ", names)
                + " (did you mean '" + Strings.closest(String.valueOf(name), names) + "'?)");
    }
}
