package dev.tessera.gcn;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.ConfigSchema;
import dev.tessera.core.config.ConfigValues;
import java.nio.file.Path;
import java.util.List;

/**
 * GCN hyper-parameters, as the trainers read them. A GCN config file is validated by {@link ConfigLoader#loadGcn}
 * against {@link ConfigSchema#GCN}, which holds the keys, their defaults and the reference; this is the typed view
 * of its values. The defaults are Kipf &amp; Welling's Cora setup: 2 layers, 16 hidden units, dropout 0.5, Adam at
 * 0.01, weight decay 5e-4 on the first layer only (as their code does), 200 epochs, row-normalised features.
 * {@code renumber_nodes} applies to full-batch training, {@code fanouts} and {@code batch_size} to sampled
 * mini-batch training. The constructor checks what the loader checks, for settings made in code.
 */
public record GcnSettings(
        int layers,
        int hidden,
        double dropout,
        double learningRate,
        double weightDecay,
        boolean weightDecayAllLayers,
        int epochs,
        boolean normalizeFeatures,
        boolean renumberNodes,
        List<Integer> fanouts,
        int batchSize) {

    public static final GcnSettings KIPF_WELLING = of(ConfigLoader.parseGcn("", "the GCN defaults"));

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

    /** The settings of a loaded GCN config ({@link ConfigLoader#parseGcn}). */
    public static GcnSettings of(ConfigValues v) {
        return new GcnSettings(
                v.intValue(ConfigSchema.GCN_LAYERS),
                v.intValue(ConfigSchema.GCN_HIDDEN),
                v.doubleValue(ConfigSchema.GCN_DROPOUT),
                v.doubleValue(ConfigSchema.GCN_LEARNING_RATE),
                v.doubleValue(ConfigSchema.GCN_WEIGHT_DECAY),
                v.boolValue(ConfigSchema.GCN_WEIGHT_DECAY_ALL_LAYERS),
                v.intValue(ConfigSchema.GCN_EPOCHS),
                v.boolValue(ConfigSchema.GCN_NORMALIZE_FEATURES),
                v.boolValue(ConfigSchema.GCN_RENUMBER_NODES),
                v.intList(ConfigSchema.GCN_FANOUTS),
                v.intValue(ConfigSchema.GCN_BATCH_SIZE));
    }

    /** The settings of a GCN config file; problems are a {@code ConfigException} naming the file and lines. */
    public static GcnSettings load(Path file) {
        return of(ConfigLoader.loadGcn(file));
    }

    public GcnSettings withEpochs(int n) {
        return new GcnSettings(
                layers,
                hidden,
                dropout,
                learningRate,
                weightDecay,
                weightDecayAllLayers,
                n,
                normalizeFeatures,
                renumberNodes,
                fanouts,
                batchSize);
    }
}
