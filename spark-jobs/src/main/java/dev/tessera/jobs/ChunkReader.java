package dev.tessera.jobs;

import dev.tessera.partitioner.ColumnLayout;
import dev.tessera.partitioner.Delimited;
import dev.tessera.partitioner.EdgeRowParser;
import dev.tessera.partitioner.InputFormat;
import dev.tessera.partitioner.ParsedChunk;
import dev.tessera.partitioner.RelationCatalog;
import dev.tessera.storage.Split;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one split's edge file into {@link ParsedChunk}s, one per input partition, in a single pass: rows
 * are parsed and checked, names turned into entity keys, and each chunk's entities aggregated.
 */
final class ChunkReader {
    private final SparkSession spark;
    private final RelationCatalog relations;
    private final Map<String, String> mapping;

    ChunkReader(SparkSession spark, RelationCatalog relations, String columns) {
        this.spark = spark;
        this.relations = relations;
        this.mapping = ColumnLayout.parseMapping(columns);
    }

    /** The chunks, whether the input carries weights, and how many header lines the file has. */
    record Chunks(JavaRDD<ParsedChunk> rdd, boolean weighted, int headerLines) {}

    Chunks read(Split split, String path, InputFormat format) {
        return format == InputFormat.PARQUET ? readParquet(split, path) : readText(split, path, format);
    }

    private Chunks readText(Split split, String path, InputFormat format) {
        JavaRDD<String> lines =
                JavaSparkContext.fromSparkContext(spark.sparkContext()).textFile(path);
        List<String> head = lines.take(100);
        if (head.isEmpty()) {
            throw new ImportFailedException(path + ": the file is empty");
        }
        boolean header = format == InputFormat.CSV;
        ColumnLayout layout;
        try {
            if (header) {
                layout = ColumnLayout.fromHeader(Arrays.asList(Delimited.splitCsv(head.get(0))), mapping, path);
            } else {
                int columns = typicalColumnCount(head);
                layout = mapping.isEmpty()
                        ? ColumnLayout.byCount(columns, path)
                        : ColumnLayout.fromIndices(mapping, columns, path);
            }
        } catch (IllegalArgumentException e) {
            throw new ImportFailedException(e.getMessage());
        }
        EdgeRowParser parser = parser(format, layout, path);
        int s = split.ordinal();
        boolean weighted = layout.hasWeight();
        checkChunkCount(lines.getNumPartitions(), path);
        JavaRDD<ParsedChunk> chunks = lines.mapPartitionsWithIndex(
                (chunk, it) -> {
                    ParsedChunk.Builder b = ParsedChunk.builder(s, chunk, parser, weighted);
                    if (header && chunk == 0 && it.hasNext()) {
                        it.next();
                        b.skipLine();
                    }
                    while (it.hasNext()) {
                        b.addLine(it.next());
                    }
                    return List.of(b.build()).iterator();
                },
                true);
        return new Chunks(chunks, weighted, header ? 1 : 0);
    }

    private Chunks readParquet(Split split, String path) {
        Dataset<Row> df = spark.read().parquet(path);
        List<String> names = Arrays.asList(df.columns());
        ColumnLayout layout;
        try {
            layout = ColumnLayout.fromHeader(names, mapping, path);
        } catch (IllegalArgumentException e) {
            throw new ImportFailedException(e.getMessage());
        }
        EdgeRowParser parser = parser(InputFormat.PARQUET, layout, path);
        int s = split.ordinal();
        int width = names.size();
        boolean weighted = layout.hasWeight();
        JavaRDD<Row> rows = df.javaRDD();
        checkChunkCount(rows.getNumPartitions(), path);
        JavaRDD<ParsedChunk> chunks = rows.mapPartitionsWithIndex(
                (chunk, it) -> {
                    ParsedChunk.Builder b = ParsedChunk.builder(s, chunk, parser, weighted);
                    String[] fields = new String[width];
                    while (it.hasNext()) {
                        Row r = it.next();
                        for (int i = 0; i < width; i++) {
                            fields[i] = r.isNullAt(i) ? null : String.valueOf(r.get(i));
                        }
                        b.addFields(fields);
                    }
                    return List.of(b.build()).iterator();
                },
                true);
        return new Chunks(chunks, weighted, 0);
    }

    private static void checkChunkCount(int partitions, String path) {
        if (partitions >= 1 << ParsedChunk.CHUNK_BITS) {
            throw new ImportFailedException(path + ": " + partitions + " input partitions, more than "
                    + (1 << ParsedChunk.CHUNK_BITS) + "; split the input into several files");
        }
    }

    private EdgeRowParser parser(InputFormat format, ColumnLayout layout, String path) {
        try {
            return new EdgeRowParser(format, layout, relations);
        } catch (IllegalArgumentException e) {
            throw new ImportFailedException(path + ": " + e.getMessage());
        }
    }

    /** The most common column count of the first lines, so one bad first line does not set the layout. */
    private static int typicalColumnCount(List<String> head) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (String l : head) {
            counts.merge(Delimited.splitTabs(l).length, 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow()
                .getKey();
    }
}
