package dev.tessera.jobs;

import dev.tessera.core.util.Json;
import dev.tessera.model.TrainedModel;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.serving.EntityNames;
import dev.tessera.serving.knn.ExactKnn;
import dev.tessera.serving.knn.Metric;
import dev.tessera.serving.knn.Neighbours;
import dev.tessera.storage.TrainedGraph;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Every entity's k nearest entities of its own type, by exact search under the trained comparator's metric,
 * written as Parquet with one row per entity: {@code entity} string, {@code type} string, {@code neighbours}
 * array&lt;string&gt; and {@code scores} array&lt;float&gt;, best first, the entity itself left out. One
 * row per entity (not per pair) keeps a recommender's lookup to one read, and the arrays stay in rank order.
 *
 * <p>The driver reads the checkpoint and broadcasts each type's vectors and names once; the queries (the
 * entities themselves) are cut into ranges, and each Spark task builds the blocked-SGEMM searcher over the
 * broadcast vectors once and runs its range through it, single-threaded (Spark already runs a task per core).
 */
public final class NeighboursJob {
    private static final Logger LOG = LoggerFactory.getLogger(NeighboursJob.class);
    /** Queries per task: big enough to amortise a task's copy of the vectors, small enough to balance cores. */
    static final int QUERIES_PER_TASK = 8192;

    /** @param type entity type to list (null: every type) */
    public record Options(Path graph, Path checkpoint, int k, String type, Path out) {
        public Options {
            if (k <= 0) {
                throw new IllegalArgumentException("k must be positive, got " + k);
            }
        }
    }

    private final SparkSession spark;
    private final Options o;
    private final SparkProgress progress;

    /** The arguments of {@code spark-submit --class dev.tessera.jobs.NeighboursJob}. */
    static final class Arguments {
        @Option(names = "--graph", required = true, description = "Graph directory.")
        Path graph;

        @Option(names = "--checkpoint", required = true, description = "Checkpoint directory.")
        Path checkpoint;

        @Option(names = "--k", defaultValue = "10", description = "Neighbours per entity (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--type", description = "Only entities of this type (default: every type).")
        String type;

        @Option(names = "--out", required = true, description = "Parquet output directory (must not exist).")
        Path out;
    }

    public static void main(String[] args) {
        Arguments a = new Arguments();
        JobMain.run(
                "NeighboursJob", "Every entity's k nearest entities of its type, exactly, to Parquet.", a, args, () -> {
                    LOG.info(
                            "neighbours written: {}",
                            Json.write(run(new Options(a.graph, a.checkpoint, a.k, a.type, a.out), null, null)));
                    return null;
                });
    }

    /** Runs the job on a Spark session of its own, as {@link ImportJob#run(ImportOptions, String, PrintStream)}. */
    public static Map<String, Object> run(Options options, String master, PrintStream progress) {
        return TesseraSpark.withSession(master, spark -> {
            try (SparkProgress p = SparkProgress.on(spark, progress)) {
                return new NeighboursJob(spark, options, p).run();
            }
        });
    }

    public NeighboursJob(SparkSession spark, Options options, SparkProgress progress) {
        this.spark = spark;
        this.o = options;
        this.progress = progress;
    }

    /** One type's vectors and names, as the tasks receive them (a class: Spark's Kryo cannot read records). */
    static final class TypeVectors implements Serializable {
        private static final long serialVersionUID = 1L;
        final String type;
        final Metric metric;
        final float[] positions;
        final int n;
        final int d;
        final String[] names;

        TypeVectors(String type, Metric metric, float[] positions, int n, int d, String[] names) {
            this.type = type;
            this.metric = metric;
            this.positions = positions;
            this.n = n;
            this.d = d;
            this.names = names;
        }
    }

    public Map<String, Object> run() {
        long started = System.nanoTime();
        if (Files.exists(o.out())) {
            throw new IllegalArgumentException("output " + o.out() + " already exists; choose a new directory");
        }
        progress.phase("reading the checkpoint");
        List<TypeVectors> sets = new ArrayList<>();
        Metric metric;
        try (TrainedGraph trained = TrainedGraph.open(o.graph(), o.checkpoint())) {
            TrainedModel model = new TrainedModel(trained.graph(), trained.checkpoint());
            metric = Metric.of(model.config.comparator());
            int only = o.type() == null ? -1 : model.config.entityTypeId(o.type());
            for (int t = 0; t < model.count.length; t++) {
                if (only < 0 || t == only) {
                    sets.add(new TypeVectors(
                            model.config.entities().get(t).name(),
                            metric,
                            model.positions(t),
                            model.count[t],
                            model.positionDimension(),
                            EntityNames.inRowOrder(trained.graph(), t, model.count[t])
                                    .toArray(new String[0])));
                }
            }
        }
        progress.phase("searching neighbours");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = null;
        long entities = 0;
        for (TypeVectors set : sets) {
            Broadcast<TypeVectors> vectors = jsc.broadcast(set);
            List<int[]> ranges = new ArrayList<>();
            for (int from = 0; from < set.n; from += QUERIES_PER_TASK) {
                ranges.add(new int[] {from, Math.min(set.n, from + QUERIES_PER_TASK)});
            }
            entities += set.n;
            int k = o.k();
            JavaRDD<Row> typeRows = jsc.parallelize(ranges, Math.max(1, ranges.size()))
                    .mapPartitions(it -> neighbours(vectors.value(), it, k));
            rows = rows == null ? typeRows : rows.union(typeRows);
        }
        StructType schema = new StructType()
                .add("entity", DataTypes.StringType, false)
                .add("type", DataTypes.StringType, false)
                .add("neighbours", DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add("scores", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        var frame = rows == null ? spark.createDataFrame(List.of(), schema) : spark.createDataFrame(rows, schema);
        frame.write().mode(SaveMode.ErrorIfExists).parquet(o.out().toString());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("out", o.out().toString());
        report.put("entities", entities);
        report.put("k", o.k());
        report.put("metric", metric.label());
        report.put("seconds", (System.nanoTime() - started) / 1e9);
        return report;
    }

    /** One task: the exact searcher over its type's vectors, then its ranges of queries, each without itself. */
    private static Iterator<Row> neighbours(TypeVectors v, Iterator<int[]> ranges, int k) {
        ExactKnn index = new ExactKnn(v.positions, v.n, v.d, v.metric, OpenBlasBackend.bestAvailable(), 1);
        List<Row> out = new ArrayList<>();
        while (ranges.hasNext()) {
            int[] range = ranges.next();
            int nq = range[1] - range[0];
            float[] queries = new float[nq * v.d];
            System.arraycopy(v.positions, range[0] * v.d, queries, 0, nq * v.d);
            int[] self = new int[nq];
            for (int i = 0; i < nq; i++) {
                self[i] = range[0] + i;
            }
            Neighbours found = index.search(queries, nq, k, self);
            for (int i = 0; i < nq; i++) {
                String[] names = new String[found.count(i)];
                Float[] scores = new Float[found.count(i)];
                for (int j = 0; j < names.length; j++) {
                    names[j] = v.names[found.row(i, j)];
                    scores[j] = found.score(i, j);
                }
                out.add(RowFactory.create(v.names[range[0] + i], v.type, names, scores));
            }
        }
        return out.iterator();
    }
}
