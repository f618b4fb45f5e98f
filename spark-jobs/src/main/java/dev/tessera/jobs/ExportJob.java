package dev.tessera.jobs;

import dev.tessera.model.StoredModel;
import dev.tessera.model.TrainedModel;
import dev.tessera.serving.EmbeddingExporter;
import dev.tessera.serving.EntityNames;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.TrainedGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Trained embeddings as one Parquet dataset, {@code embeddings.parquet}: entity, type, vector (array of
 * float), with the relation parameters beside it as JSON. Apart from the command that calls it, so that
 * the command line's classes link without Spark on the classpath (training runs without Spark's jars).
 */
public final class ExportJob {
    private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);

    private ExportJob() {}

    /** The arguments of {@code spark-submit --class dev.tessera.jobs.ExportJob}. */
    static final class Arguments {
        @Option(names = "--graph", required = true, description = "Graph directory.")
        Path graph;

        @Option(names = "--checkpoint", required = true, description = "Checkpoint directory.")
        Path checkpoint;

        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;
    }

    public static void main(String[] args) {
        Arguments a = new Arguments();
        JobMain.run("ExportJob", "Writes a checkpoint's embeddings as Parquet (entity, type, vector).", a, args, () -> {
            try (TrainedGraph t = TrainedGraph.open(a.graph, a.checkpoint)) {
                StoredModel stored = new StoredModel(t.graph(), t.checkpoint());
                write(t.graph(), stored, a.out);
                LOG.info("exported the embeddings of {} to {}", a.checkpoint, a.out);
            }
            return null;
        });
    }

    /**
     * Writes {@code embeddings.parquet} and {@code relations.json} into {@code out}; reads the whole model
     * (Spark writes the rows from one in-memory list).
     */
    public static void write(GraphStore graph, StoredModel stored, Path out) throws IOException {
        TrainedModel model = new TrainedModel(stored);
        StructType schema = new StructType()
                .add("entity", DataTypes.StringType, false)
                .add("type", DataTypes.StringType, false)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < model.embeddings.length; t++) {
            String type = model.config.entities().get(t).name();
            List<String> names = EntityNames.inRowOrder(graph, t, model.count[t]);
            for (int i = 0; i < names.size(); i++) {
                Float[] v = new Float[model.d];
                for (int k = 0; k < model.d; k++) {
                    v[k] = model.embeddings[t][i * model.d + k];
                }
                rows.add(RowFactory.create(names.get(i), type, v));
            }
        }
        TesseraSpark.withSession(null, spark -> {
            spark.createDataFrame(rows, schema)
                    .coalesce(1)
                    .write()
                    .mode(SaveMode.Overwrite)
                    .parquet(out.resolve("embeddings.parquet").toString());
            return null;
        });
        new EmbeddingExporter(graph, stored).writeRelations(out);
    }
}
