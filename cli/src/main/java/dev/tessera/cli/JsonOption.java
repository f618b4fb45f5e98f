package dev.tessera.cli;

import picocli.CommandLine.Option;

/** {@code --json}, which every command takes: exactly one JSON object on stdout, progress on stderr. */
final class JsonOption {
    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;
}
