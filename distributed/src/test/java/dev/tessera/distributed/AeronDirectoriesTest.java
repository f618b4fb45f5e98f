package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AeronDirectoriesTest {
    @Test
    void theDirectoriesOfExitedProcessesAreRemovedAndOthersKept(@TempDir Path tmp) throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        long self = ProcessHandle.current().pid();
        Path dead = Files.createDirectories(tmp.resolve("aeron-u-tessera-p" + exited.pid() + "-trainer-1-abc"));
        Files.writeString(dead.resolve("cnc.dat"), "x");
        Path live = Files.createDirectories(tmp.resolve("aeron-u-tessera-p" + self + "-trainer-0-def"));
        Path someoneElses = Files.createDirectories(tmp.resolve("aeron-u-other-p" + exited.pid() + "-x"));
        Path otherUser = Files.createDirectories(tmp.resolve("aeron-v-tessera-p" + exited.pid() + "-probe-x"));

        assertEquals(1, AeronDirectories.sweep(tmp.toFile(), "aeron-u"));
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(someoneElses));
        assertTrue(Files.exists(otherUser));
    }

    @Test
    void aFreshDirectoryNamesThisProcess() {
        String dir = AeronDirectories.fresh("trainer-3");
        assertTrue(
                new File(dir)
                        .getName()
                        .contains("-tessera-p" + ProcessHandle.current().pid() + "-trainer-3-"),
                dir);
    }
}
