package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.util.Json;
import dev.tessera.storage.Split;
import dev.tessera.storage.TrainedGraph;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit path: {@code SparkSubmit --master local[2] --class dev.tessera.jobs.ImportJob
 * tessera-jobs.jar ...}, then {@code TrainJob} on the imported graph, with Spark's jars on the classpath and
 * Tessera (and RocksDB) only in the shaded jar.
 */
class SparkSubmitIT {

    /** What a spark-submit run left: its exit code, stdout and stderr (where the driver logs). */
    private record Submitted(int exitCode, String stdout, String stderr) {}

    @Test
    void importAndTrainRunUnderSparkSubmitWithTheShadedJar(@TempDir Path tmp) throws Exception {
        Path config = ImportFixtures.config(tmp, "entities:\n  country: {}\ndiscover_relations: true\n");
        Path data = TestSpark.data("kg/nations");
        Path out = tmp.resolve("nations");
        Submitted imported = submit(
                tmp,
                "ImportJob",
                "--config",
                config.toString(),
                "--edges",
                data.resolve("train.txt").toString(),
                "--test",
                data.resolve("test.txt").toString(),
                "--out",
                out.toString());
        assertEquals(0, imported.exitCode(), imported.stdout() + imported.stderr());
        // The job logs its report through SLF4J, which spark-submit's log4j sends to stderr.
        Map<String, Object> report = Json.parseObject(logged(imported.stderr(), "import finished: "));
        assertEquals(Map.of("country", 14), report.get("entities"));
        assertEquals(Map.of("train", 1592, "test", 201), report.get("edges"));
        assertEquals(StoredGraph.fileTriples(data.resolve("train.txt")), StoredGraph.triples(out, Split.TRAIN));

        Path training = ImportFixtures.config(
                tmp, "entities:\n  country: {}\ndiscover_relations: true\n" + "dimension: 8\nnum_epochs: 2\n");
        Path checkpoint = tmp.resolve("nations.checkpoint");
        Submitted trained = submit(
                tmp,
                "TrainJob",
                "--config",
                training.toString(),
                "--graph",
                out.toString(),
                "--checkpoint",
                checkpoint.toString());
        assertEquals(0, trained.exitCode(), trained.stdout() + trained.stderr());
        assertEquals(
                2,
                ((Number) Json.parseObject(logged(trained.stderr(), "training finished: "))
                                .get("epochs"))
                        .intValue());
        try (TrainedGraph t = TrainedGraph.open(out, checkpoint)) {
            assertEquals(2, t.checkpoint().latest().orElseThrow().epochs());
        }
    }

    @Test
    void aJobAnswersBadArgumentsWithItsUsage(@TempDir Path tmp) throws Exception {
        Submitted s = submit(tmp, "TrainJob", "--graph", tmp.toString());
        assertNotEquals(0, s.exitCode());
        String all = s.stdout() + s.stderr();
        assertTrue(
                all.contains("Missing required options")
                        && all.contains("--checkpoint")
                        && all.contains("Usage: spark-submit --class dev.tessera.jobs.TrainJob"),
                all);
    }

    private static Submitted submit(Path tmp, String job, String... args) throws Exception {
        Path jar = Path.of("target", "tessera-jobs.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "the shaded jar is built in the package phase: " + jar);
        String sparkOnly = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("tessera") && !e.contains("rocksdbjni") && !e.endsWith("classes"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                "org.apache.spark.deploy.SparkSubmit",
                "--master",
                "local[2]",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--conf",
                "spark.ui.enabled=false",
                "--class",
                "dev.tessera.jobs." + job,
                jar.toString()));
        command.addAll(List.of(args));
        Path log = tmp.resolve(job + ".out");
        Path err = tmp.resolve(job + ".err");
        Process p = ChildJvm.java(sparkOnly, command, log)
                .redirectErrorStream(false)
                .redirectError(err.toFile())
                .start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "spark-submit timed out");
        return new Submitted(p.exitValue(), Files.readString(log), Files.readString(err));
    }

    /** The rest of the first log line that holds {@code marker}. */
    private static String logged(String log, String marker) {
        int at = log.indexOf(marker);
        assertTrue(at >= 0, "no '" + marker + "' in\n" + log);
        return log.substring(at + marker.length()).lines().findFirst().orElseThrow();
    }
}
