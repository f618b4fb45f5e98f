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

    static String thousands(Object n) {
        return String.format(java.util.Locale.ROOT, "%,d", ((Number) n).longValue());
    }
}
