package dev.tessera.benchmarks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Edits a benchmark's YAML config as text: a top-level key set to a value, replaced or appended. */
final class ConfigText {
    private ConfigText() {}

    static String set(String yaml, String key, String value) {
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(key) + ":.*$");
        return line.matcher(yaml).find()
                ? line.matcher(yaml).replaceAll(Matcher.quoteReplacement(key + ": " + value))
                : yaml + (yaml.endsWith("\n") ? "" : "\n") + key + ": " + value + "\n";
    }
}
