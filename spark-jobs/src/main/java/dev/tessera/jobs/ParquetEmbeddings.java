package dev.tessera.jobs;

import dev.tessera.trainer.export.EmbeddingExporter;
import dev.tessera.trainer.export.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trained embeddings as one Parquet dataset, {@code embeddings.parquet}: entity, type, vector (array of
 * float). Apart from the command that calls it, so that the command line's classes link without Spark on
 * the classpath (training runs without Spark's jars).
 */
public final class ParquetEmbeddings {
    private ParquetEmbeddings() {
    }

    public static void write(EmbeddingExporter exporter, TrainedModel model, Path out) {
        StructType schema = new StructType().add("entity", DataTypes.StringType, false)
                .add("type", DataTypes.StringType, false)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < model.embeddings.length; t++) {
            String type = model.config.entities().get(t).name();
            List<String> names = exporter.names(t);
            for (int i = 0; i < names.size(); i++) {
                Float[] v = new Float[model.d];
                for (int k = 0; k < model.d; k++) {
                    v[k] = model.embeddings[t][i * model.d + k];
                }
                rows.add(RowFactory.create(names.get(i), type, v));
            }
        }
        SparkSession spark = TesseraSpark.session(null);
        try {
            spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
                    .parquet(out.resolve("embeddings.parquet").toString());
        } finally {
            spark.stop();
        }
    }
}
