package dev.tessera.gcn;

import dev.tessera.core.util.Strings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * GCN hyper-parameters. The defaults are Kipf &amp; Welling's Cora setup: 2 layers, 16 hidden units, dropout
 * 0.5, Adam at 0.01, weight decay 5e-4 on the first layer only (as their code does), 200 epochs, row-normalised
 * features. {@code fanouts} and {@code batch_size} apply to sampled mini-batch training.
 */
public record GcnSettings(int layers, int hidden, double dropout, double learningRate, double weightDecay,
        boolean weightDecayAllLayers, int epochs, boolean normalizeFeatures, List<Integer> fanouts, int batchSize) {

    public static final GcnSettings KIPF_WELLING = new GcnSettings(2, 16, 0.5, 0.01, 5e-4, false, 200, true,
            List.of(25, 10), 512);

    private static final List<String> KEYS = List.of("layers", "hidden", "dropout", "learning_rate", "weight_decay",
            "weight_decay_all_layers", "epochs", "normalize_features", "fanouts", "batch_size");

    public GcnSettings {
        require(layers >= 1, "layers must be at least 1, got " + layers);
        require(hidden >= 1, "hidden must be at least 1, got " + hidden);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(learningRate > 0, "learning_rate must be positive, got " + learningRate);
        require(weightDecay >= 0, "weight_decay must be ≥ 0, got " + weightDecay);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batch_size must be at least 1, got " + batchSize);
        require(fanouts.size() == layers, "fanouts needs one entry per layer (" + layers + "), got " + fanouts);
        require(fanouts.stream().allMatch(f -> f >= 1), "every fanout must be at least 1, got " + fanouts);
        fanouts = List.copyOf(fanouts);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public GcnSettings withEpochs(int n) {
        return new GcnSettings(layers, hidden, dropout, learningRate, weightDecay, weightDecayAllLayers, n,
                normalizeFeatures, fanouts, batchSize);
    }

    /** The defaults overridden by a YAML file's keys; unknown keys and wrong types are errors naming the file. */
    public static GcnSettings load(Path file) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (root instanceof Map<?, ?> map) {
            map.forEach((k, v) -> m.put(String.valueOf(k), v));
        } else if (root != null) {
            throw new IllegalArgumentException(file + ": expected a mapping of GCN settings");
        }
        List<String> problems = new ArrayList<>();
        for (String key : m.keySet()) {
            if (!KEYS.contains(key)) {
                problems.add("unknown key '" + key + "' (did you mean '" + Strings.closest(key, KEYS) + "'?)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        }
        GcnSettings d = KIPF_WELLING;
        try {
            int layers = intOf(m, "layers", d.layers);
            List<Integer> fanouts = m.containsKey("fanouts") ? intList(m.get("fanouts"))
                    : defaultFanouts(layers, d.fanouts);
            return new GcnSettings(layers, intOf(m, "hidden", d.hidden), doubleOf(m, "dropout", d.dropout),
                    doubleOf(m, "learning_rate", d.learningRate), doubleOf(m, "weight_decay", d.weightDecay),
                    boolOf(m, "weight_decay_all_layers", d.weightDecayAllLayers), intOf(m, "epochs", d.epochs),
                    boolOf(m, "normalize_features", d.normalizeFeatures), fanouts, intOf(m, "batch_size", d.batchSize));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Kipf's 25, 10 for two layers; deeper models repeat the last fan-out. */
    private static List<Integer> defaultFanouts(int layers, List<Integer> base) {
        List<Integer> f = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            f.add(base.get(Math.min(i, base.size() - 1)));
        }
        return f;
    }

    private static int intOf(Map<String, Object> m, String key, int fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Integer i)) {
            throw new IllegalArgumentException("'" + key + "' must be an integer, got '" + v + "'");
        }
        return i;
    }

    private static double doubleOf(Map<String, Object> m, String key, double fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("'" + key + "' must be a number, got '" + v + "'");
        }
        return n.doubleValue();
    }

    private static boolean boolOf(Map<String, Object> m, String key, boolean fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("'" + key + "' must be true or false, got '" + v + "'");
        }
        return b;
    }

    private static List<Integer> intList(Object v) {
        if (!(v instanceof List<?> list) || !list.stream().allMatch(x -> x instanceof Integer)) {
            throw new IllegalArgumentException("'fanouts' must be a list of integers, got '" + v + "'");
        }
        return list.stream().map(x -> (Integer) x).toList();
    }
}
