package dev.tessera.jobs;

import dev.tessera.partitioner.ColumnLayout;
import dev.tessera.partitioner.Delimited;
import dev.tessera.partitioner.EdgeRowParser;
import dev.tessera.partitioner.InputFormat;
import dev.tessera.partitioner.ParsedEdge;
import dev.tessera.partitioner.RelationCatalog;
import dev.tessera.storage.Split;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Reads one split's edge file into rows of {@link #SCHEMA}: every input row, good or bad, with its 1-based
 * line number (row number for Parquet), so a rejection can be reported as {@code file:line: reason}.
 */
final class EdgeInputReader {
    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("split", DataTypes.IntegerType, false),
        DataTypes.createStructField("line", DataTypes.LongType, false),
        DataTypes.createStructField("src", DataTypes.StringType, true),
        DataTypes.createStructField("rel", DataTypes.StringType, true),
        DataTypes.createStructField("dst", DataTypes.StringType, true),
        DataTypes.createStructField("src_type", DataTypes.IntegerType, false),
        DataTypes.createStructField("dst_type", DataTypes.IntegerType, false),
        DataTypes.createStructField("weight", DataTypes.FloatType, false),
        DataTypes.createStructField("reason", DataTypes.StringType, true),
        DataTypes.createStructField("detail", DataTypes.StringType, true)});

    private final SparkSession spark;
    private final RelationCatalog relations;
    private final Map<String, String> mapping;

    EdgeInputReader(SparkSession spark, RelationCatalog relations, String columns) {
        this.spark = spark;
        this.relations = relations;
        this.mapping = ColumnLayout.parseMapping(columns);
    }

    /** The parsed rows and whether the input carries weights. */
    record Parsed(Dataset<Row> rows, boolean weighted) {
    }

    Parsed read(Split split, String path, InputFormat format) {
        return format == InputFormat.PARQUET ? readParquet(split, path) : readText(split, path, format);
    }

    private Parsed readText(Split split, String path, InputFormat format) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> lines = jsc.textFile(path);
        List<String> head = lines.take(100);
        if (head.isEmpty()) {
            throw new ImportFailedException(path + ": the file is empty");
        }
        ColumnLayout layout;
        boolean header = format == InputFormat.CSV;
        try {
            if (header) {
                layout = ColumnLayout.fromHeader(Arrays.asList(Delimited.splitCsv(head.get(0))), mapping, path);
            } else {
                int columns = typicalColumnCount(head);
                layout = mapping.isEmpty() ? ColumnLayout.byCount(columns, path)
                        : ColumnLayout.fromIndices(mapping, columns, path);
            }
        } catch (IllegalArgumentException e) {
            throw new ImportFailedException(e.getMessage());
        }
        EdgeRowParser parser = parser(format, layout, path);
        int splitId = split.ordinal();
        JavaRDD<Row> rows = lines.zipWithIndex().filter(t -> !(header && t._2() == 0))
                .mapPartitions((Iterator<Tuple2<String, Long>> it) -> {
                    ParsedEdge e = new ParsedEdge();
                    return map(it, t -> {
                        parser.parseLine(t._1(), e);
                        return toRow(splitId, t._2() + 1, e);
                    });
                });
        return new Parsed(spark.createDataFrame(rows, SCHEMA), layout.hasWeight());
    }

    private Parsed readParquet(Split split, String path) {
        Dataset<Row> df = spark.read().parquet(path);
        List<String> names = Arrays.asList(df.columns());
        ColumnLayout layout;
        try {
            layout = ColumnLayout.fromHeader(names, mapping, path);
        } catch (IllegalArgumentException e) {
            throw new ImportFailedException(e.getMessage());
        }
        EdgeRowParser parser = parser(InputFormat.PARQUET, layout, path);
        int splitId = split.ordinal();
        int width = names.size();
        JavaRDD<Row> rows = df.javaRDD().zipWithIndex().mapPartitions((Iterator<Tuple2<Row, Long>> it) -> {
            ParsedEdge e = new ParsedEdge();
            String[] fields = new String[width];
            return map(it, t -> {
                Row r = t._1();
                for (int i = 0; i < width; i++) {
                    fields[i] = r.isNullAt(i) ? null : String.valueOf(r.get(i));
                }
                parser.parseFields(fields, e);
                return toRow(splitId, t._2() + 1, e);
            });
        });
        return new Parsed(spark.createDataFrame(rows, SCHEMA), layout.hasWeight());
    }

    /** A lazy map over a partition, so a task never buffers its rows. */
    private static <A, B> Iterator<B> map(Iterator<A> in, java.util.function.Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public B next() {
                return f.apply(in.next());
            }
        };
    }

    private EdgeRowParser parser(InputFormat format, ColumnLayout layout, String path) {
        try {
            return new EdgeRowParser(format, layout, relations);
        } catch (IllegalArgumentException e) {
            throw new ImportFailedException(path + ": " + e.getMessage());
        }
    }

    private static Row toRow(int split, long line, ParsedEdge e) {
        if (e.bad != null) {
            return RowFactory.create(split, line, null, null, null, -1, -1, 0f, e.bad.key(), e.detail);
        }
        return RowFactory.create(split, line, e.src, e.rel, e.dst, e.srcType, e.dstType, e.weight, null, null);
    }

    /** The most common column count of the first lines, so one bad first line does not set the layout. */
    private static int typicalColumnCount(List<String> head) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (String l : head) {
            counts.merge(Delimited.splitTabs(l).length, 1, Integer::sum);
        }
        return counts.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
    }
}
