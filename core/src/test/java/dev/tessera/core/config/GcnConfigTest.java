package dev.tessera.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GCN config goes through the same loader, messages and reference as the training config. */
class GcnConfigTest {
    private static ConfigValues parse(String text) {
        return ConfigLoader.parseGcn(text, "gcn.yaml");
    }

    private static List<String> problems(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).problems();
    }

    @Test
    void anEmptyFileIsKipfAndWellingsSetup() {
        ConfigValues v = parse("");
        assertEquals(2, v.intValue(ConfigSchema.GCN_LAYERS));
        assertEquals(16, v.intValue(ConfigSchema.GCN_HIDDEN));
        assertEquals(0.5, v.doubleValue(ConfigSchema.GCN_DROPOUT));
        assertEquals(0.01, v.doubleValue(ConfigSchema.GCN_LEARNING_RATE));
        assertEquals(5e-4, v.doubleValue(ConfigSchema.GCN_WEIGHT_DECAY));
        assertFalse(v.boolValue(ConfigSchema.GCN_WEIGHT_DECAY_ALL_LAYERS));
        assertEquals(200, v.intValue(ConfigSchema.GCN_EPOCHS));
        assertTrue(v.boolValue(ConfigSchema.GCN_NORMALIZE_FEATURES));
        assertEquals(List.of(25, 10), v.intList(ConfigSchema.GCN_FANOUTS));
        assertEquals(512, v.intValue(ConfigSchema.GCN_BATCH_SIZE));
        assertEquals(v, parse("{}"));
    }

    @Test
    void keysOverrideTheDefaultsAndFanoutsFollowTheLayers() {
        ConfigValues v = parse("hidden: 64\nlayers: 3\ndropout: 0.2\nlearning_rate: 1\n");
        assertEquals(64, v.intValue(ConfigSchema.GCN_HIDDEN));
        assertEquals(List.of(25, 10, 10), v.intList(ConfigSchema.GCN_FANOUTS), "deeper models repeat the last");
        assertEquals(List.of(25), parse("layers: 1\n").intList(ConfigSchema.GCN_FANOUTS));
        assertEquals(1.0, v.doubleValue(ConfigSchema.GCN_LEARNING_RATE));
        assertEquals(List.of(5, 3), parse("fanouts: [5, 3]\n").intList(ConfigSchema.GCN_FANOUTS));
    }

    @Test
    void aMisspeltKeySuggestsTheClosest() {
        assertEquals(List.of("hiden (line 1): unknown key 'hiden'; did you mean 'hidden'?"), problems("hiden: 64\n"));
        assertEquals(
                List.of("fanout (line 2): unknown key 'fanout'; did you mean 'fanouts'?"),
                problems("layers: 2\nfanout: [3, 3]\n"));
        // Training keys are not GCN keys: the file is a config of its own.
        assertEquals(
                List.of("num_epochs (line 1): unknown key 'num_epochs'; did you mean 'epochs'?"),
                problems("num_epochs: 3\n"));
    }

    @Test
    void wrongValuesAreReportedTogetherWithTheirLines() {
        // in the schema's order of keys
        assertEquals(
                List.of(
                        "dropout (line 2): 1.0 is out of range; allowed: [0, 1)",
                        "epochs (line 1): expected an integer, got 'many'",
                        "normalize_features (line 4): expected true or false, got 'sure'",
                        "fanouts[1] (line 3): 0 is out of range; allowed: >= 1"),
                problems("epochs: many\ndropout: 1.0\nfanouts: [2, 0]\nnormalize_features: sure\n"));
        assertEquals(List.of("fanouts (line 1): expected a list of integers, got '5'"), problems("fanouts: 5\n"));
        assertEquals(List.of("fanouts (line 1): needs one entry per layer (2), got [5]"), problems("fanouts: [5]\n"));
        // A wrong entry is reported once, not again as a list of the wrong length.
        assertEquals(
                List.of("fanouts[1] (line 2): 0 is out of range; allowed: >= 1"),
                problems("layers: 3\nfanouts: [2, 0, 1]\n"));
        assertEquals(List.of("the config must be a mapping of keys to values"), problems("- 1\n"));
    }

    @Test
    void loadNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("gcn.yaml");
        Files.writeString(f, "hiden: 64\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadGcn(f));
        assertEquals(
                "invalid config " + f + ":\n  hiden (line 1): unknown key 'hiden'; did you mean 'hidden'?",
                e.getMessage());
        Files.writeString(f, "epochs: 7\n");
        assertEquals(7, ConfigLoader.loadGcn(f).intValue(ConfigSchema.GCN_EPOCHS));
    }

    @Test
    void valuesAreReadByTheirKeyOnly() {
        ConfigValues v = parse("");
        // batch_size is a key of both scopes; the training one is not in a GCN config.
        assertThrows(IllegalArgumentException.class, () -> v.intValue(ConfigSchema.BATCH_SIZE));
        assertThrows(IllegalArgumentException.class, () -> v.doubleValue(ConfigSchema.GCN_LAYERS));
        assertEquals(30, v.with(ConfigSchema.GCN_EPOCHS, 30).intValue(ConfigSchema.GCN_EPOCHS));
    }
}
