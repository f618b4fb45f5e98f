package dev.tessera.storage;

import java.util.Locale;

/** The edge sets of one graph, stored side by side under one entity dictionary. */
public enum Split {
    TRAIN,
    VALID,
    TEST;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Split parse(String s) {
        for (Split v : values()) {
            if (v.label().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown split '" + s + "'; expected train, valid or test");
    }
}
