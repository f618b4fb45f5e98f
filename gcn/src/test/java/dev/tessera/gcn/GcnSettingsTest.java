package dev.tessera.gcn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcnSettingsTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("gcn.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void defaultsAreKipfAndWellings() {
        assertEquals(
                new GcnSettings(2, 16, 0.5, 0.01, 5e-4, false, 200, true, true, List.of(25, 10), 512),
                GcnSettings.KIPF_WELLING);
    }

    @Test
    void keysOverrideKipfWellingDefaults() throws Exception {
        GcnSettings s = GcnSettings.load(write("hidden: 64\nlayers: 3\ndropout: 0.2\n"));
        assertEquals(64, s.hidden());
        assertEquals(List.of(25, 10, 10), s.fanouts());
        assertEquals(0.01, s.learningRate());
        assertEquals(200, s.epochs());
        assertEquals(0.2, s.dropout());
        assertEquals(GcnSettings.KIPF_WELLING, GcnSettings.load(write("")), "an empty file: every default");
    }

    @Test
    void unknownKeysAndWrongValuesNameTheFileAndLine() throws Exception {
        Path f = write("hiden: 64\n");
        ConfigException e = assertThrows(ConfigException.class, () -> GcnSettings.load(f));
        assertEquals(
                "invalid config " + f + ":\n  hiden (line 1): unknown key 'hiden'; did you mean 'hidden'?",
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> GcnSettings.load(write("epochs: many\n")));
        assertEquals(List.of("epochs (line 1): expected an integer, got 'many'"), e.problems());
        e = assertThrows(ConfigException.class, () -> GcnSettings.load(write("fanouts: [5]\n")));
        assertTrue(e.getMessage().contains("one entry per layer"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> GcnSettings.load(write("dropout: 1.0\n")));
        assertEquals(List.of("dropout (line 1): 1.0 is out of range; allowed: [0, 1)"), e.problems());
    }

    @Test
    void settingsMadeInCodeAreCheckedToo() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new GcnSettings(2, 16, 1.0, 0.01, 0, false, 1, true, true, List.of(2, 2), 8));
        assertTrue(e.getMessage().contains("dropout must be in [0, 1)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new GcnSettings(2, 16, 0.5, 0.01, 0, false, 1, true, true, List.of(2), 8));
        assertTrue(e.getMessage().contains("one entry per layer"), e.getMessage());
    }
}
