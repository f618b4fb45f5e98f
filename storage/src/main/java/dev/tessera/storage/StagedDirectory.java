package dev.tessera.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A directory built in a hidden sibling ({@code .NAME.staging-UUID}) and renamed into place only when
 * complete, so a failed or killed writer never leaves a half-written {@code NAME}. The sibling holds its
 * writer's pid; a later writer of the same target removes siblings whose writer is gone.
 */
public final class StagedDirectory implements AutoCloseable {
    private static final String PID_FILE = ".writer.pid";
    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /**
     * Starts staging {@code target}; refuses when it exists unless {@code overwrite}. Nothing about an
     * existing target changes until {@link #commit}.
     */
    public static StagedDirectory begin(Path target, boolean overwrite) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs) && !overwrite) {
            throw new StorageException(abs + " already exists; pass --overwrite to replace it");
        }
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            removeAbandoned(parent, abs.getFileName().toString());
            Path staging = parent.resolve("." + abs.getFileName() + ".staging-" + UUID.randomUUID());
            Files.createDirectory(staging);
            Files.writeString(
                    staging.resolve(PID_FILE),
                    Long.toString(ProcessHandle.current().pid()));
            return new StagedDirectory(abs, staging);
        } catch (IOException e) {
            throw new StorageException("cannot stage " + abs + ": " + e.getMessage(), e);
        }
    }

    public Path staging() {
        return staging;
    }

    public Path target() {
        return target;
    }

    /** Moves the finished directory into place (replacing an old one), atomically where the OS allows. */
    public void commit() {
        try {
            Files.delete(staging.resolve(PID_FILE));
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".replaced-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StorageException("cannot rename " + staging + " to " + target + " atomically", e);
            }
            committed = true;
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new StorageException(
                    "cannot move " + staging + " into place at " + target + ": " + e.getMessage(), e);
        }
    }

    /** Removes the staging directory unless it was committed. */
    @Override
    public void close() {
        if (!committed) {
            deleteTree(staging);
        }
    }

    private static void removeAbandoned(Path parent, String name) throws IOException {
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent, "." + name + ".staging-*")) {
            for (Path s : siblings) {
                Path pid = s.resolve(PID_FILE);
                boolean alive = false;
                if (Files.exists(pid)) {
                    try {
                        alive = ProcessHandle.of(
                                        Long.parseLong(Files.readString(pid).trim()))
                                .map(ProcessHandle::isAlive)
                                .orElse(false);
                    } catch (NumberFormatException e) {
                        alive = false;
                    }
                }
                if (!alive) {
                    deleteTree(s);
                }
            }
        }
    }

    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
