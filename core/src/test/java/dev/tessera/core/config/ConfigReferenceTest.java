package dev.tessera.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReferenceTest {
    /** Surefire runs in the module directory (core/), so the repository's docs/ is one level up. */
    private static final Path DOC = Path.of("..", "docs", "config.md");

    private static final String REGENERATE = "docs/config.md is stale or missing; regenerate it from the "
            + "repository root with: java -cp core/target/classes:<snakeyaml jar> "
            + "dev.tessera.core.config.ConfigReference docs/config.md (ConfigReference.main)";

    @Test
    void checkedInReferenceMatchesTheSchema() throws IOException {
        assertTrue(
                Files.isRegularFile(DOC),
                REGENERATE + " [looked for " + DOC.toAbsolutePath().normalize() + "]");
        String onDisk = Files.readString(DOC, StandardCharsets.UTF_8);
        assertEquals(ConfigReference.markdown(), onDisk, REGENERATE);
    }

    @Test
    void everyKeyOfEveryScopeIsDocumented() {
        String md = ConfigReference.markdown();
        Map<String, List<ConfigKey>> scopes = ConfigSchema.scopes();
        assertEquals(4, scopes.size());
        for (Map.Entry<String, List<ConfigKey>> scope : scopes.entrySet()) {
            assertTrue(md.contains("## Keys of a " + scope.getKey() + "\n"), "missing section for " + scope.getKey());
            assertFalse(scope.getValue().isEmpty());
            for (ConfigKey k : scope.getValue()) {
                assertTrue(
                        md.contains("| `" + k.name() + "` | " + k.typeDescription() + " | "),
                        "key '" + k.name() + "' of scope '" + scope.getKey() + "' is not in the reference");
                assertTrue(md.contains(k.description()), "description of '" + k.name() + "' is not in the reference");
            }
        }
    }

    @Test
    void rowsShowDefaultsRangesAndRequiredKeys() {
        String md = ConfigReference.markdown();
        assertTrue(md.startsWith("# Config reference\n"));
        assertTrue(md.contains("| `comparator` | one of `dot`, `cos`, `l2`, `squared_l2` | `cos` |"), md);
        assertTrue(md.contains("| `lr` | number, > 0 | `0.01` |"), md);
        assertTrue(md.contains("| `eval_fraction` | number, [0, 1) | `0.05` |"), md);
        assertTrue(md.contains("| `num_partitions` | integer, [1, 32768] | `1` |"), md);
        assertTrue(md.contains("| `relation_lr` | number, > 0 | — |"), md);
        assertTrue(md.contains("| `entities` | map of entity type name to entity settings | required |"), md);
        assertTrue(md.contains("| `lhs` | string | required |"), md);
    }

    @Test
    void mainWritesTheMarkdown(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sub").resolve("config.md");
        ConfigReference.main(new String[] {out.toString()});
        assertEquals(ConfigReference.markdown(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
