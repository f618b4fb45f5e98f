package dev.tessera.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cgroup v1 memory controller group that caps what the processes started in it may use (resident memory
 * and page cache together; the kernel reclaims cache first and kills the process only when resident memory
 * alone exceeds the cap). Made by a benchmark, removed when closed. Needs the memory controller mounted at
 * {@code /sys/fs/cgroup/memory} and writable (root).
 */
final class MemoryCgroup implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup/memory");

    private final Path dir;

    private MemoryCgroup(Path dir) {
        this.dir = dir;
    }

    /** A new group capped at {@code bytes}, or empty with the reason on stderr where none can be made. */
    static Optional<MemoryCgroup> create(String name, long bytes) {
        if (!Files.isDirectory(ROOT) || !Files.isWritable(ROOT)) {
            System.err.println("no writable cgroup v1 memory controller at " + ROOT
                    + ": running uncapped, reporting peak RSS against the model's size");
            return Optional.empty();
        }
        Path dir = ROOT.resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(bytes));
            return Optional.of(new MemoryCgroup(dir));
        } catch (IOException e) {
            System.err.println("cannot make cgroup " + dir + " (" + e.getMessage() + "): running uncapped");
            return Optional.empty();
        }
    }

    /** {@code command} started inside the group: a shell moves itself in, then becomes the command. */
    List<String> wrap(List<String> command) {
        List<String> out = new ArrayList<>(
                List.of("sh", "-c", "echo $$ > " + dir.resolve("cgroup.procs") + " && exec \"$@\"", "sh"));
        out.addAll(command);
        return out;
    }

    /** Times the group hit its cap (reclaim was forced); read before {@link #close}. */
    long failCount() {
        return readLong("memory.failcnt");
    }

    /** Kills by the kernel's OOM killer inside the group (the {@code oom_kill} line of memory.oom_control). */
    long oomKills() {
        try {
            for (String line : Files.readAllLines(dir.resolve("memory.oom_control"))) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).strip());
                }
            }
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    private long readLong(String file) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(file)).strip());
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("cannot remove cgroup " + dir + ": " + e.getMessage());
        }
    }
}
