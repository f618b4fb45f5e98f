package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ImportArgumentsTest {
    private static ImportOptions parse(String... extra) {
        ImportArguments a = new ImportArguments();
        String[] base = {"--config", "c.yaml", "--edges", "e.tsv", "--out", "g"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        new CommandLine(a).parseArgs(all);
        return a.toOptions();
    }

    @Test
    void broadcastEntitiesSetsTheLimitAndDefaultsToTheBuilders() {
        assertEquals(ImportOptions.DEFAULT_BROADCAST_LIMIT, parse().broadcastEntityLimit());
        assertEquals(20_000_000L, parse("--broadcast-entities", "20000000").broadcastEntityLimit());
        assertEquals(0L, parse("--broadcast-entities", "0").broadcastEntityLimit());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parse("--broadcast-entities", "-1"));
        assertEquals("--broadcast-entities must be >= 0", e.getMessage());
    }
}
