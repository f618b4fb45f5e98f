package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.partitioner.InputFormat;
import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TSV, CSV with a header and a column mapping, Parquet, and two-column edge lists all import the same way. */
class ImportFormatsIT {
    private static final String CONFIG =
            "entities:\n  node: {num_partitions: 2}\nrelations:\n  - {name: cites, lhs: node, rhs: node}\n"
                    + "  - {name: links, lhs: node, rhs: node}\n";

    @Test
    void csvWithHeaderAndColumnMapping(@TempDir Path tmp) {
        Path csv = ImportFixtures.file(
                tmp,
                "edges.csv",
                "weight,from,kind,to\n0.5,a,cites,b\n2,\"b,1\",links,c\n1,c,cites,\"say \"\"hi\"\"\"\n");
        Path out = tmp.resolve("g");
        ImportFixtures.run(
                ImportFixtures.config(tmp, CONFIG),
                ImportFixtures.splits(csv, null, null),
                out,
                null,
                PartitionStrategy.HASH,
                null,
                "src=from,dst=to,rel=kind",
                0,
                false);
        assertEquals(
                List.of("a\tcites\tb\t0.5", "b,1\tlinks\tc\t2.0", "c\tcites\tsay \"hi\""),
                StoredGraph.triples(out, Split.TRAIN));
    }

    @Test
    void csvBadRowsCountHeaderAsLineOne(@TempDir Path tmp) {
        Path csv = ImportFixtures.file(tmp, "edges.csv", "src,rel,dst\na,cites,b\nb,cites\n");
        ImportFailedException e = assertThrows(
                ImportFailedException.class,
                () -> ImportFixtures.run(
                        ImportFixtures.config(tmp, CONFIG),
                        ImportFixtures.splits(csv, null, null),
                        tmp.resolve("g"),
                        null,
                        PartitionStrategy.HASH,
                        null,
                        null,
                        0,
                        false));
        assertTrue(e.getMessage().contains("edges.csv:3: 2 columns, expected 3"), e.getMessage());
    }

    @Test
    void parquetWithRenamedColumns(@TempDir Path tmp) {
        StructType schema = new StructType()
                .add("head", DataTypes.StringType)
                .add("relation", DataTypes.StringType)
                .add("tail", DataTypes.StringType)
                .add("weight", DataTypes.DoubleType);
        List<Row> rows = List.of(
                RowFactory.create("x", "cites", "y", 1.5),
                RowFactory.create("y", "links", "z", 1.0),
                RowFactory.create("z", "cites", null, 1.0));
        Dataset<Row> df = TestSpark.get().createDataFrame(rows, schema).coalesce(1);
        Path parquet = tmp.resolve("edges.parquet");
        df.write().parquet(parquet.toString());
        Path out = tmp.resolve("g");
        Map<String, Object> report = ImportFixtures.run(
                ImportFixtures.config(tmp, CONFIG),
                ImportFixtures.splits(parquet, null, null),
                out,
                null,
                PartitionStrategy.HASH,
                InputFormat.PARQUET,
                "src=head,rel=relation,dst=tail",
                1,
                false);
        assertEquals(List.of("x\tcites\ty\t1.5", "y\tlinks\tz"), StoredGraph.triples(out, Split.TRAIN));
        assertEquals(List.of(parquet + ":3: empty dst id"), ((Map<?, ?>) report.get("bad_rows")).get("first"));
    }

    @Test
    void twoColumnEdgeListUsesTheOneDeclaredRelation(@TempDir Path tmp) {
        Path cora = TestSpark.data("planetoid/cora/edges.tsv");
        Path out = tmp.resolve("cora");
        Map<String, Object> report = ImportFixtures.run(
                ImportFixtures.config(
                        tmp, "entities:\n  paper: {}\nrelations:\n  - {name: cites, lhs: paper, rhs: paper}\n"),
                ImportFixtures.splits(cora, null, null),
                out,
                1);
        assertEquals(Map.of("paper", 2708L), report.get("entities"));
        List<String> expected = StoredGraph.fileTriples(cora).stream()
                .map(l -> l.replace("\t", "\tcites\t"))
                .sorted()
                .toList();
        assertEquals(expected, StoredGraph.triples(out, Split.TRAIN));
    }

    @Test
    void twoColumnInputWithSeveralRelationsIsRefused(@TempDir Path tmp) {
        Path edges = ImportFixtures.file(tmp, "e.tsv", "a\tb\n");
        ImportFailedException e = assertThrows(
                ImportFailedException.class,
                () -> ImportFixtures.run(
                        ImportFixtures.config(tmp, CONFIG),
                        ImportFixtures.splits(edges, null, null),
                        tmp.resolve("g"),
                        1));
        assertTrue(e.getMessage().contains("the config must declare exactly one relation"), e.getMessage());
    }
}
