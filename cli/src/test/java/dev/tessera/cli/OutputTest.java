package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTest {
    @Test
    void aWorkerOutOfHeapIsReportedWithoutAStackTrace() {
        // Hogwild workers hand their failures on wrapped; the heap message must still be found.
        RuntimeException fromWorker = new IllegalStateException(new OutOfMemoryError("Java heap space"));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Output.failure(fromWorker, false);
        } finally {
            System.setErr(err);
        }
        assertEquals(1, code);
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("error: out of memory (Java heap space) with a heap of "), printed);
        assertTrue(printed.contains("TESSERA_JAVA_OPTS=-Xmx"), printed);
        assertEquals(1, printed.lines().count(), printed);
    }

    @Test
    void anUnexpectedFailureIsRethrown() {
        RuntimeException bug = new IllegalStateException("a bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> Output.failure(bug, false)));
    }
}
