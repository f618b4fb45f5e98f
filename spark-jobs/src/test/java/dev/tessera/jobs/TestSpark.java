package dev.tessera.jobs;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session for the tests of this JVM (starting Spark costs seconds), and the data dir. */
public final class TestSpark {
    private static SparkSession session;

    private TestSpark() {}

    public static synchronized SparkSession get() {
        // Commands run in-process (import, Parquet export, neighbours) find this session and leave it running.
        if (session == null || session.sparkContext().isStopped()) {
            session = TesseraSpark.session("local[2]");
        }
        return session;
    }

    public static Path data(String relative) {
        return Path.of(System.getProperty("tessera.data.dir", "../../shared/data"))
                .resolve(relative);
    }
}
