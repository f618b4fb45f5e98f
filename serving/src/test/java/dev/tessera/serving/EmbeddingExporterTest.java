package dev.tessera.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.util.Json;
import dev.tessera.model.StoredModel;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports of a hand-made two-partition checkpoint, read back byte by byte. */
class EmbeddingExporterTest {
    @Test
    void tsvNpyNamesAndRelationsHoldTheModel(@TempDir Path tmp) throws Exception {
        TesseraConfig config = ConfigLoader.parse(
                "entities:\n  e: {num_partitions: 2}\nrelations:\n"
                        + "  - {name: r, lhs: e, rhs: e, operator: diagonal}\ndimension: 2\nglobal_emb: true\n",
                "t");
        try (GraphStore g = GraphStore.create(tmp.resolve("g"))) {
            g.putEntity("a", new EntityRef(0, 0, 0));
            g.putEntity("b", new EntityRef(0, 0, 1));
            g.putEntity("c", new EntityRef(0, 1, 0));
            g.writeMeta(new GraphMeta(config, 2, Map.of("e", new long[] {2, 1}), Map.of(), Map.of()));
        }
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck = CheckpointStore.openOrCreate(tmp.resolve("ck"), "fp")) {
            ck.writePartition(1, 0, 0, new float[] {1, 2, 3, 4}, new float[2], 2, 2);
            ck.writePartition(1, 0, 1, new float[] {5, 6}, new float[1], 1, 2);
            ck.writeParams(1, 0, new float[] {0.5f, -1f}, new float[2]);
            ck.writeParams(1, 1_000_000, new float[] {10f, 20f}, new float[2]);
            ck.writeConfig(config.toJson());
            ck.commit(new Checkpoint(1, 1, new int[][] {{1, 1}}, 1, 2, List.of()));
            EmbeddingExporter ex = new EmbeddingExporter(g, new StoredModel(g, ck));
            ex.writeTsv(tmp.resolve("tsv"));
            ex.writeNpy(tmp.resolve("npy"));
        }
        // Global embedding (10, 20) added to every row; rows in partition-then-offset order.
        assertEquals(
                List.of("a\t11.0\t22.0", "b\t13.0\t24.0", "c\t15.0\t26.0"),
                Files.readAllLines(tmp.resolve("tsv/e.tsv")));
        assertEquals(List.of("a", "b", "c"), Files.readAllLines(tmp.resolve("npy/e.names")));
        byte[] npy = Files.readAllBytes(tmp.resolve("npy/e.npy"));
        assertEquals(0x93, npy[0] & 0xff);
        assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
        int headerLen = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64, "data starts 64-byte aligned");
        String header = new String(npy, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"), header);
        assertTrue(header.endsWith("\n"));
        ByteBuffer data = ByteBuffer.wrap(npy, 10 + headerLen, npy.length - 10 - headerLen)
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = {11, 22, 13, 24, 15, 26};
        assertEquals(expected.length * 4, data.remaining());
        for (float v : expected) {
            assertEquals(v, data.getFloat());
        }
        Map<String, Object> rel = Json.parseObject(Files.readString(tmp.resolve("npy/relations.json")));
        assertEquals("cos", rel.get("comparator"));
        @SuppressWarnings("unchecked")
        Map<String, Object> r0 = ((List<Map<String, Object>>) rel.get("relations")).get(0);
        assertEquals("diagonal", r0.get("operator"));
        assertEquals(List.of(0.5, -1.0), r0.get("parameters"));
        assertEquals(Split.TRAIN, Split.parse("train"));
    }
}
