package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.util.Json;
import dev.tessera.jobs.ChildJvm;
import dev.tessera.jobs.ImportFixtures;
import dev.tessera.jobs.TestSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tessera train} runs on {@code target/training-classpath.txt}, which leaves Spark out: the
 * command line must load and train without a single Spark class (a Spark type in any command's code that
 * the JVM links fails every command).
 */
class TrainingClasspathIT {
    @Test
    void trainRunsWithoutSparkOnTheClasspath(@TempDir Path tmp) throws Exception {
        Path jar = Path.of("target", "tessera-cli.jar").toAbsolutePath();
        String entries =
                Files.readString(Path.of("target", "training-classpath.txt")).strip();
        assertFalse(
                entries.contains("spark-core") || entries.contains("scala-library"),
                "Spark is provided at run time, never part of the training classpath: " + entries);
        Path config = ImportFixtures.config(
                tmp,
                "entities:\n  e: {num_partitions: 2}\ndiscover_relations: true\n" + "dimension: 16\nnum_epochs: 2\n");
        Path data = TestSpark.data("kg/kinship");
        Path graph = tmp.resolve("graph");
        ImportFixtures.run(
                config, ImportFixtures.splits(data.resolve("train.txt"), null, data.resolve("test.txt")), graph, 2);
        Path log = tmp.resolve("train.log");
        Process p = ChildJvm.java(
                        jar + File.pathSeparator + entries,
                        List.of(
                                "dev.tessera.cli.TesseraCli",
                                "train",
                                "--config",
                                config.toString(),
                                "--graph",
                                graph.toString(),
                                "--checkpoint",
                                tmp.resolve("ck").toString(),
                                "--json"),
                        log)
                .start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "training timed out");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\n");
        Map<String, Object> report = Json.parseObject(lines[lines.length - 1]);
        assertEquals(2L, ((Number) report.get("epochs")).longValue(), out);
    }
}
