package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.util.Json;
import dev.tessera.storage.Split;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit path: {@code SparkSubmit --master local[2] --class dev.tessera.jobs.ImportJob
 * tessera-jobs.jar ...} with Spark's jars on the classpath and Tessera (and RocksDB) only in the shaded jar.
 */
class SparkSubmitIT {

    @Test
    void importRunsUnderSparkSubmitWithTheShadedJar(@TempDir Path tmp) throws Exception {
        Path jar = Path.of("target", "tessera-jobs.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "the shaded jar is built in the package phase: " + jar);
        String sparkOnly = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("tessera") && !e.contains("rocksdbjni") && !e.endsWith("classes"))
                .collect(Collectors.joining(File.pathSeparator));
        Path config = ImportFixtures.config(tmp, "entities:\n  country: {}\ndiscover_relations: true\n");
        Path data = TestSpark.data("kg/nations");
        Path out = tmp.resolve("nations");
        Path log = tmp.resolve("submit.log");
        Process p = ChildJvm.java(sparkOnly, List.of("org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.ui.enabled=false",
                "--class", "dev.tessera.jobs.ImportJob", jar.toString(),
                "--config", config.toString(), "--edges", data.resolve("train.txt").toString(),
                "--test", data.resolve("test.txt").toString(), "--out", out.toString()), log)
                .redirectErrorStream(false).redirectError(tmp.resolve("submit.err").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "spark-submit timed out");
        String stderr = Files.readString(tmp.resolve("submit.err"));
        assertEquals(0, p.exitValue(), Files.readString(log) + stderr);
        // The job logs its report through SLF4J, which spark-submit's log4j sends to stderr.
        String marker = "import finished: ";
        int at = stderr.indexOf(marker);
        assertTrue(at >= 0, stderr);
        Map<String, Object> report = Json.parseObject(stderr.substring(at + marker.length()).lines().findFirst()
                .orElseThrow());
        assertEquals(Map.of("country", 14), report.get("entities"));
        assertEquals(Map.of("train", 1592, "test", 201), report.get("edges"));
        assertEquals(StoredGraph.fileTriples(data.resolve("train.txt")), StoredGraph.triples(out, Split.TRAIN));
    }
}
