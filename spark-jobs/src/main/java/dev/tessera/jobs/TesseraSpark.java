package dev.tessera.jobs;

import java.util.Properties;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a Tessera job. Under spark-submit the master and settings come from there; run
 * from the CLI it is an embedded {@code local[*]} session bound to loopback, without the web UI.
 */
public final class TesseraSpark {
    private TesseraSpark() {}

    /**
     * Runs {@code job} on the active session, or on a new one ({@link #session}) that it stops afterwards: a
     * session the caller already had (an application's, a test's) stays up.
     */
    public static <T> T withSession(String master, Function<SparkSession, T> job) {
        boolean owned = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = session(master);
        try {
            return job.apply(spark);
        } finally {
            if (owned) {
                spark.stop();
            }
        }
    }

    public static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder()
                .appName("tessera")
                // Import tasks shuffle millions of small records (keys, entity records, edges): Kryo is several
                // times faster and smaller than Java serialization for them.
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config(
                        "spark.kryo.classesToRegister",
                        String.join(
                                ",",
                                "dev.tessera.partitioner.EntityRecord",
                                "dev.tessera.partitioner.EntityRecord$Key96",
                                "dev.tessera.partitioner.MappedEdge",
                                "dev.tessera.partitioner.RankKey",
                                "dev.tessera.jobs.EdgeMapper$Pending",
                                "dev.tessera.jobs.EdgeWriter$BucketOrder"));
        b.config(defaults(System.getProperties()));
        boolean submitted = System.getProperty("spark.master") != null;
        if (!submitted || master != null) {
            int cores = Runtime.getRuntime().availableProcessors();
            b.master(master != null ? master : "local[*]")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", Integer.toString(Math.max(4, 2 * cores)))
                    .config("spark.sql.autoBroadcastJoinThreshold", "-1")
                    // The import caches its parsed rows once and scans them a few times: compressing them
                    // (dictionary-encoding every name) cost more than the memory it saved.
                    .config("spark.sql.inMemoryColumnarStorage.compressed", "false");
        }
        return b.getOrCreate();
    }

    /**
     * Settings a session gets unless {@code system} (where spark-submit puts its {@code --conf} values) has its
     * own. The shuffled records are flat (no cycles, no shared parts), so Kryo's table of the objects it has
     * written is pure cost: 3.5M entity-heavy edges imported 1.2x faster without it and with unsafe IO
     * (docs/benchmarks.md, "Import").
     */
    static SparkConf defaults(Properties system) {
        SparkConf conf = new SparkConf(false);
        for (String[] setting :
                new String[][] {{"spark.kryo.referenceTracking", "false"}, {"spark.kryo.unsafe", "true"}}) {
            if (system.getProperty(setting[0]) == null) {
                conf.set(setting[0], setting[1]);
            }
        }
        return conf;
    }
}
