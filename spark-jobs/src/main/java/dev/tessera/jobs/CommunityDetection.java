package dev.tessera.jobs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.graphx.lib.LabelPropagation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Communities for the locality partitioning: GraphX label propagation over the training edges, each
 * entity labelled with its community id (entities without training edges form their own).
 */
final class CommunityDetection {
    /** Label propagation rounds: communities settle within a few on real graphs, and each round is a shuffle. */
    static final int STEPS = 5;
    private static final ClassTag<Object> OBJECT = ClassTag$.MODULE$.apply(Object.class);

    private final SparkSession spark;

    CommunityDetection(SparkSession spark) {
        this.spark = spark;
    }

    /** {@code ents} (with a {@code name} column) plus a {@code community} column. */
    Dataset<Row> label(Dataset<Row> ents, Dataset<Row> trainEdges) {
        StructType idSchema = new StructType().add("name", DataTypes.StringType, false)
                .add("vid", DataTypes.LongType, false);
        JavaRDD<Row> idRows = ents.select("name").javaRDD().zipWithIndex()
                .map(t -> RowFactory.create(t._1().getString(0), t._2()));
        Dataset<Row> ids = spark.createDataFrame(idRows, idSchema).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> pairs = trainEdges.select("src", "dst")
                .join(ids.select(col("name").as("src"), col("vid").as("s")), "src")
                .join(ids.select(col("name").as("dst"), col("vid").as("d")), "dst");
        JavaRDD<Edge<Object>> edges = pairs.select("s", "d").javaRDD()
                .map(r -> new Edge<Object>(r.getLong(0), r.getLong(1), Boolean.TRUE));
        Graph<Object, Object> graph = Graph.fromEdges(edges.rdd(), 0L, StorageLevel.MEMORY_AND_DISK(),
                StorageLevel.MEMORY_AND_DISK(), OBJECT, OBJECT);
        Graph<Object, Object> communities = LabelPropagation.run(graph, STEPS, OBJECT);
        JavaRDD<Row> labels = communities.vertices().toJavaRDD()
                .map(t -> RowFactory.create((Long) t._1(), (Long) t._2()));
        StructType labelSchema = new StructType().add("label_vid", DataTypes.LongType, false)
                .add("community", DataTypes.LongType, false);
        Dataset<Row> labelled = spark.createDataFrame(labels, labelSchema);
        return ents.join(ids, "name").join(labelled, col("vid").equalTo(col("label_vid")), "left")
                .withColumn("community", coalesce(col("community"), col("vid"))).drop("vid", "label_vid");
    }
}
