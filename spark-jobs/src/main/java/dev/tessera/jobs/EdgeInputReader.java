package dev.tessera.jobs;

import dev.tessera.partitioner.ColumnLayout;
import dev.tessera.partitioner.Delimited;
import dev.tessera.partitioner.EdgeRowParser;
import dev.tessera.partitioner.EntityKey;
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

/**
 * Reads one split's edge file into rows of {@link #SCHEMA}: every input row, good or bad, keyed by the input
 * partition ("chunk") it came from and its index inside it. Each chunk also yields one summary row (reason
 * {@link #LINES}) with its line count, from which {@link LineIndex} turns (chunk, index) into a file line
 * number (row number for Parquet) — one read of the input instead of two for a global line index.
 */
final class EdgeInputReader {
    /** The reason of a chunk's summary row, whose {@code line} holds the chunk's line count. */
    static final String LINES = "#lines";
    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("split", DataTypes.IntegerType, false),
        DataTypes.createStructField("chunk", DataTypes.IntegerType, false),
        DataTypes.createStructField("line", DataTypes.LongType, false),
        DataTypes.createStructField("src", DataTypes.StringType, true),
        DataTypes.createStructField("rel", DataTypes.StringType, true),
        DataTypes.createStructField("dst", DataTypes.StringType, true),
        DataTypes.createStructField("src_type", DataTypes.IntegerType, false),
        DataTypes.createStructField("dst_type", DataTypes.IntegerType, false),
        DataTypes.createStructField("weight", DataTypes.FloatType, false),
        DataTypes.createStructField("src_k1", DataTypes.LongType, false),
        DataTypes.createStructField("src_k2", DataTypes.IntegerType, false),
        DataTypes.createStructField("dst_k1", DataTypes.LongType, false),
        DataTypes.createStructField("dst_k2", DataTypes.IntegerType, false),
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

    /** The parsed rows, whether the input carries weights, and how many header lines it has. */
    record Parsed(Dataset<Row> rows, boolean weighted, int headerLines) {
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
        JavaRDD<Row> rows = lines.mapPartitionsWithIndex((chunk, it) -> {
            ParsedEdge e = new ParsedEdge();
            if (header && chunk == 0 && it.hasNext()) {
                it.next();
                return rows(splitId, chunk, 1, it, line -> parser.parseLine(line, e), e);
            }
            return rows(splitId, chunk, 0, it, line -> parser.parseLine(line, e), e);
        }, true);
        return new Parsed(spark.createDataFrame(rows, SCHEMA), layout.hasWeight(), header ? 1 : 0);
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
        JavaRDD<Row> rows = df.javaRDD().mapPartitionsWithIndex((chunk, it) -> {
            ParsedEdge e = new ParsedEdge();
            String[] fields = new String[width];
            return rows(splitId, chunk, 0, it, r -> {
                for (int i = 0; i < width; i++) {
                    fields[i] = r.isNullAt(i) ? null : String.valueOf(r.get(i));
                }
                parser.parseFields(fields, e);
            }, e);
        }, true);
        return new Parsed(spark.createDataFrame(rows, SCHEMA), layout.hasWeight(), 0);
    }

    /**
     * The rows of one chunk, lazily (a task never buffers its input), then the chunk's summary row.
     * {@code first} is the index of the first line {@code in} yields (1 when a header was consumed).
     */
    private static <A> Iterator<Row> rows(int split, int chunk, long first, Iterator<A> in,
                                          java.util.function.Consumer<A> parse, ParsedEdge e) {
        return new Iterator<>() {
            long index = first;
            boolean summarised;

            @Override
            public boolean hasNext() {
                return in.hasNext() || !summarised;
            }

            @Override
            public Row next() {
                if (in.hasNext()) {
                    parse.accept(in.next());
                    return toRow(split, chunk, index++, e);
                }
                if (summarised) {
                    throw new java.util.NoSuchElementException();
                }
                summarised = true;
                return RowFactory.create(split, chunk, index, null, null, null, -1, -1, 0f, 0L, 0, 0L, 0, LINES, null);
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

    private static Row toRow(int split, int chunk, long line, ParsedEdge e) {
        if (e.bad != null) {
            return RowFactory.create(split, chunk, line, null, null, null, -1, -1, 0f, 0L, 0, 0L, 0, e.bad.key(),
                    e.detail);
        }
        return RowFactory.create(split, chunk, line, e.src, e.rel, e.dst, e.srcType, e.dstType, e.weight,
                EntityKey.k1(e.src), EntityKey.k2(e.src), EntityKey.k1(e.dst), EntityKey.k2(e.dst), null, null);
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
