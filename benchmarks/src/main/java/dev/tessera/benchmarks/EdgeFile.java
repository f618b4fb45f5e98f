package dev.tessera.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a generated edge file line by line: into a sibling {@code .tmp} file renamed into place when
 * complete (so a killed generator never leaves a short file that a later run would take for finished), with
 * a progress line every ten million edges.
 */
final class EdgeFile {
    private EdgeFile() {}

    /** Appends edge {@code i}'s line, without its newline, to {@code sb}. */
    interface Line {
        void append(long i, StringBuilder sb);
    }

    static void write(Path file, long edges, Line line) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder(256);
            for (long i = 0; i < edges; i++) {
                sb.setLength(0);
                line.append(i, sb);
                sb.append('\n');
                w.append(sb);
                if ((i + 1) % 10_000_000 == 0) {
                    System.err.printf("%s: %,d of %,d edges written%n", file.getFileName(), i + 1, edges);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
