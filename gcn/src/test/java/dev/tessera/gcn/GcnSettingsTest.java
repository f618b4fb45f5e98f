package dev.tessera.gcn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void keysOverrideKipfWellingDefaults() throws Exception {
        GcnSettings s = GcnSettings.load(write("hidden: 64\nlayers: 3\ndropout: 0.2\n"));
        assertEquals(64, s.hidden());
        assertEquals(List.of(25, 10, 10), s.fanouts());
        assertEquals(0.01, s.learningRate());
        assertEquals(200, s.epochs());
    }

    @Test
    void unknownKeysAndWrongTypesNameTheFile() throws Exception {
        Path f = write("hiden: 64\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GcnSettings.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("did you mean 'hidden'"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GcnSettings.load(write("epochs: many\n")));
        assertTrue(e.getMessage().contains("'epochs' must be an integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GcnSettings.load(write("fanouts: [5]\n")));
        assertTrue(e.getMessage().contains("one entry per layer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GcnSettings.load(write("dropout: 1.0\n")));
        assertTrue(e.getMessage().contains("dropout must be in [0, 1)"), e.getMessage());
    }
}
