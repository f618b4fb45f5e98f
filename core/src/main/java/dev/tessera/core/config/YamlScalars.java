package dev.tessera.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML values converted to a {@link ConfigKey}'s type (integers, numbers, booleans, names, strings, lists of
 * integers), with YAML 1.1's spellings. A value that does not convert adds a problem naming its key path and
 * line to the loader's list and stands in as the key's default, so the loader can report every problem at once.
 */
final class YamlScalars {
    private final List<String> problems;

    YamlScalars(List<String> problems) {
        this.problems = problems;
    }

    /** The value of {@code node} (null: not given) converted to the key's type, or the key's default. */
    Object value(Node node, String path, ConfigKey key) {
        if (node == null) {
            return key.defaultValue();
        }
        return key.kind() == ConfigKey.Kind.INT_LIST ? integers(node, path, key) : scalar(node, path, key);
    }

    /** A list of integers, each checked as an integer key with the list's range; the default if any is wrong. */
    private Object integers(Node node, String path, ConfigKey key) {
        if (!(node instanceof SequenceNode seq)) {
            problems.add(at(node, path) + ": expected " + article(key) + ", got "
                    + (node instanceof ScalarNode s ? "'" + s.getValue() + "'" : "a " + nodeNoun(node)));
            return key.defaultValue();
        }
        ConfigKey element = ConfigKey.integer(key.name(), null, key.range(), key.description());
        int before = problems.size();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            out.add((Integer) scalar(seq.getValue().get(i), path + "[" + i + "]", element));
        }
        return problems.size() == before ? List.copyOf(out) : key.defaultValue();
    }

    /** A scalar converted to the key's type, or the default after recording why it could not be. */
    private Object scalar(Node node, String path, ConfigKey key) {
        if (!(node instanceof ScalarNode s)) {
            problems.add(at(node, path) + ": expected " + article(key) + ", got a " + nodeNoun(node));
            return key.defaultValue();
        }
        String text = s.getValue();
        Tag tag = s.getTag();
        switch (key.kind()) {
            case INT -> {
                if (!tag.equals(Tag.INT) && !(tag.equals(Tag.FLOAT) && isIntegral(text))) {
                    problems.add(at(node, path) + ": expected an integer, got '" + text + "'");
                    return key.defaultValue();
                }
                double d;
                try {
                    d = Double.parseDouble(text.replace("_", ""));
                } catch (NumberFormatException e) {
                    problems.add(at(node, path) + ": expected a decimal integer, got '" + text + "'");
                    return key.defaultValue();
                }
                if (key.range() != null && !key.range().contains(d) || Math.abs(d) > Integer.MAX_VALUE) {
                    problems.add(at(node, path) + ": " + text + " is out of range; allowed: " + key.range());
                    return key.defaultValue();
                }
                return (int) d;
            }
            case FLOAT -> {
                if (!tag.equals(Tag.INT) && !tag.equals(Tag.FLOAT)) {
                    problems.add(at(node, path) + ": expected a number, got '" + text + "'");
                    return key.defaultValue();
                }
                double d;
                try {
                    d = parseYamlFloat(text);
                } catch (NumberFormatException e) {
                    problems.add(at(node, path) + ": expected a decimal number, got '" + text + "'");
                    return key.defaultValue();
                }
                if (key.range() != null && !key.range().contains(d)) {
                    problems.add(at(node, path) + ": " + text + " is out of range; allowed: " + key.range());
                    return key.defaultValue();
                }
                return d;
            }
            case BOOL -> {
                if (!tag.equals(Tag.BOOL)) {
                    problems.add(at(node, path) + ": expected true or false, got '" + text + "'");
                    return key.defaultValue();
                }
                return Set.of("true", "yes", "on").contains(text.toLowerCase(java.util.Locale.ROOT));
            }
            case ENUM -> {
                if (!key.allowed().contains(text)) {
                    problems.add(at(node, path) + ": " + key.notAllowed(text));
                    return key.defaultValue();
                }
                return text;
            }
            case STRING -> {
                if (!tag.equals(Tag.STR) || text.isBlank()) {
                    problems.add(at(node, path) + ": expected a non-empty string, got '" + text + "'");
                    return key.defaultValue();
                }
                return text;
            }
            default -> throw new IllegalStateException(key.kind().toString());
        }
    }

    private static boolean isIntegral(String text) {
        double d;
        try {
            d = parseYamlFloat(text);
        } catch (NumberFormatException e) {
            return false;
        }
        return d == Math.rint(d) && !Double.isInfinite(d);
    }

    private static double parseYamlFloat(String text) {
        String t = text.replace("_", "").toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(t);
        };
    }

    private static String article(ConfigKey key) {
        return switch (key.kind()) {
            case INT -> "an integer";
            case FLOAT -> "a number";
            case BOOL -> "true or false";
            case ENUM -> "one of " + String.join(", ", key.allowed());
            case INT_LIST -> "a list of integers";
            default -> "a string";
        };
    }

    private static String nodeNoun(Node n) {
        return n instanceof MappingNode ? "mapping" : n instanceof SequenceNode ? "list" : "scalar";
    }

    /** A key path with the line it stands on, as every problem names it. */
    static String at(Node node, String path) {
        return path + " (line " + (node.getStartMark().getLine() + 1) + ")";
    }
}
