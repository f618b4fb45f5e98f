package dev.tessera.cli;

import dev.tessera.core.config.ConfigException;
import dev.tessera.core.util.Json;
import dev.tessera.jobs.ImportFailedException;
import dev.tessera.storage.StorageException;
import java.util.Map;

/** How commands report: one JSON object on stdout with {@code --json}, readable text otherwise. */
final class Output {
    private Output() {}

    /** Prints a failure the user can act on and returns the exit code; anything else is rethrown. */
    static int failure(RuntimeException e, boolean json) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError oom) {
                return outOfHeap(oom, json); // in a worker thread, handed on wrapped
            }
        }
        boolean expected = e instanceof ConfigException
                || e instanceof ImportFailedException
                || e instanceof StorageException
                || e instanceof IllegalArgumentException;
        if (!expected) {
            throw e;
        }
        System.err.println("error: " + e.getMessage());
        if (json) {
            System.out.println(Json.write(Map.of("error", e.getMessage())));
        }
        return 1;
    }

    /**
     * The JVM ran out of heap: says how large the heap was and how to give it more, without a stack trace
     * (training checks its model against the heap before it starts, so this is what that count leaves out).
     */
    static int outOfHeap(OutOfMemoryError e, boolean json) {
        String message = String.format(
                java.util.Locale.ROOT,
                "out of memory (%s) with a heap of %.2f GB: give the JVM more (bin/tessera: TESSERA_JAVA_OPTS=-Xmx...),"
                        + " or lower what the command holds (training: workers, dimension, partition_buffer)",
                e.getMessage(),
                Runtime.getRuntime().maxMemory() / (double) (1L << 30));
        System.err.println("error: " + message);
        if (json) {
            System.out.println(Json.write(Map.of("error", message)));
        }
        return 1;
    }

    static String thousands(Object n) {
        return String.format(java.util.Locale.ROOT, "%,d", ((Number) n).longValue());
    }
}
