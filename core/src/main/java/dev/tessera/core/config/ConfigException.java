package dev.tessera.core.config;

import java.util.List;

/** A config that cannot be used; the message lists every problem found, each with its path and line. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super("invalid config " + source + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
