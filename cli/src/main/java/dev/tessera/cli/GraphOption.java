package dev.tessera.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --graph}: the graph directory an import made. */
final class GraphOption {
    @Option(names = "--graph", required = true, description = "Graph directory (from bin/tessera import).")
    private Path dir;

    Path dir() {
        return dir;
    }
}
