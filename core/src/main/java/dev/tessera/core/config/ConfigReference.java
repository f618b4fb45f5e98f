package dev.tessera.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates docs/config.md from {@link ConfigSchema}. A test compares the file with this output, so
 * the reference cannot drift from the validator; {@code main} rewrites it after a schema change.
 */
public final class ConfigReference {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReference.class);

    private ConfigReference() {}

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Config reference\n\n");
        sb.append("Generated from `ConfigSchema` by `ConfigReference` (a test fails when this file is stale).\n");
        sb.append("Configs are YAML or JSON. Key names follow PyTorch-BigGraph where the concept exists.\n");
        for (Map.Entry<String, List<ConfigKey>> scope : ConfigSchema.scopes().entrySet()) {
            sb.append("\n## Keys of a ").append(scope.getKey()).append("\n\n");
            sb.append("| key | type | default | meaning |\n|---|---|---|---|\n");
            for (ConfigKey k : scope.getValue()) {
                String def = k.required() ? "required" : k.defaultValue() == null ? "—" : "`" + k.defaultValue() + "`";
                sb.append("| `")
                        .append(k.name())
                        .append("` | ")
                        .append(k.typeDescription())
                        .append(" | ")
                        .append(def)
                        .append(" | ")
                        .append(k.description())
                        .append(" |\n");
            }
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/config.md");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown(), StandardCharsets.UTF_8);
        LOG.info("wrote {}", out);
    }
}
