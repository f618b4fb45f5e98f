package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/api.md shows TrainAndQuery whole: the example users copy is the one the build compiles. */
class ApiDocExampleTest {
    @Test
    void theJavaApiPageHoldsTheCompiledExample() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "api.md"));
        String source =
                Files.readString(Path.of("src", "main", "java", "dev", "tessera", "examples", "TrainAndQuery.java"));
        assertTrue(doc.contains("```java\n" + source + "```"), "docs/api.md must show TrainAndQuery.java as it is");
    }
}
