package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.jobs.TestSpark;
import dev.tessera.serving.EmbeddingModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every export format of {@code bin/tessera export}, read back by an independent reader (TSV split by
 * hand, {@code .npy} through its own header parser, Parquet through Spark), holds exactly the vectors the
 * model serves for each entity name.
 */
class ExportFormatsIT {
    @Test
    void tsvNpyAndParquetHoldTheModelsVectors(@TempDir Path tmp) throws Exception {
        TrainedFixture.Trained kinship = TrainedFixture.train(tmp, "kinship", "dot");
        Map<String, float[]> want = new HashMap<>();
        try (EmbeddingModel m = EmbeddingModel.open(kinship.graph(), kinship.checkpoint())) {
            for (String line : Files.readAllLines(TestSpark.data("kg/kinship/train.txt"))) {
                for (String name : new String[] {line.split("\t")[0], line.split("\t")[2]}) {
                    want.computeIfAbsent(name, m::vector);
                }
            }
        }
        assertEquals(104, want.size());
        for (String format : List.of("tsv", "npy", "parquet")) {
            TrainedFixture.Run run = TrainedFixture.cli(
                    "export",
                    "--graph",
                    kinship.graph().toString(),
                    "--checkpoint",
                    kinship.checkpoint().toString(),
                    "--format",
                    format,
                    "--out",
                    tmp.resolve(format).toString(),
                    "--json");
            assertEquals(0, run.exitCode(), run.stdout());
        }
        assertSame(want, readTsv(tmp.resolve("tsv/e.tsv")), "tsv");
        assertSame(want, readNpy(tmp.resolve("npy/e.npy"), Files.readAllLines(tmp.resolve("npy/e.names"))), "npy");
        Map<String, float[]> parquet = new HashMap<>();
        for (Row r : TestSpark.get()
                .read()
                .parquet(tmp.resolve("parquet/embeddings.parquet").toString())
                .collectAsList()) {
            assertEquals("e", r.getString(r.fieldIndex("type")));
            List<Float> v = r.getList(r.fieldIndex("vector"));
            float[] x = new float[v.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = v.get(i);
            }
            parquet.put(r.getString(r.fieldIndex("entity")), x);
        }
        assertSame(want, parquet, "parquet");
    }

    private static void assertSame(Map<String, float[]> want, Map<String, float[]> got, String format) {
        assertEquals(want.keySet(), got.keySet(), format + ": the same entities");
        want.forEach((name, v) -> assertArrayEquals(v, got.get(name), format + ": vector of " + name));
    }

    private static Map<String, float[]> readTsv(Path file) throws Exception {
        Map<String, float[]> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            float[] v = new float[f.length - 1];
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.parseFloat(f[i + 1]);
            }
            out.put(f[0], v);
        }
        return out;
    }

    /** numpy's format 1.0 read by hand: magic, version, header length, the dict's dtype/order/shape, data. */
    private static Map<String, float[]> readNpy(Path file, List<String> names) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}, magic);
        assertEquals(1, b.get(), "major version");
        assertEquals(0, b.get(), "minor version");
        int headerLength = Short.toUnsignedInt(b.getShort());
        byte[] header = new byte[headerLength];
        b.get(header);
        String dict = new String(header, StandardCharsets.US_ASCII);
        assertTrue(dict.contains("'descr': '<f4'"), dict);
        assertTrue(dict.contains("'fortran_order': False"), dict);
        Matcher shape = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(dict);
        assertTrue(shape.find(), dict);
        int rows = Integer.parseInt(shape.group(1));
        int cols = Integer.parseInt(shape.group(2));
        assertEquals(names.size(), rows, "one row per name");
        assertEquals((long) rows * cols * 4, b.remaining(), "data is exactly rows × cols float32");
        Map<String, float[]> out = new HashMap<>();
        for (int i = 0; i < rows; i++) {
            float[] v = new float[cols];
            for (int k = 0; k < cols; k++) {
                v[k] = b.getFloat();
            }
            out.put(names.get(i), v);
        }
        return out;
    }
}
