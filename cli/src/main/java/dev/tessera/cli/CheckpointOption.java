package dev.tessera.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --checkpoint}: the checkpoint directory training writes (train creates it; the others read it). */
final class CheckpointOption {
    @Option(
            names = "--checkpoint",
            required = true,
            description = "Checkpoint directory (train creates it when missing).")
    private Path dir;

    Path dir() {
        return dir;
    }
}
