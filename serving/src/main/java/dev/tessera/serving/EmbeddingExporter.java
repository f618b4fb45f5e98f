package dev.tessera.serving;

import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.util.Json;
import dev.tessera.model.StoredModel;
import dev.tessera.storage.GraphStore;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained model for other tools: per entity type {@code <type>.tsv} (name and vector) or
 * {@code <type>.npy} (float32, N×d, numpy's format 1.0) with {@code <type>.names} (one name per line, same
 * order), and {@code relations.json} (each relation's types, operator and parameters, and the comparator).
 * Embeddings are read and written one partition at a time, so a model larger than memory can be exported.
 */
public final class EmbeddingExporter {
    private final GraphStore graph;
    private final StoredModel model;

    /** Exports {@code model}, whose checkpoint store must stay open while writing. */
    public EmbeddingExporter(GraphStore graph, StoredModel model) {
        this.graph = graph;
        this.model = model;
    }

    public void writeTsv(Path dir) throws IOException {
        Files.createDirectories(dir);
        int d = model.d;
        for (int t = 0; t < model.types(); t++) {
            float[] rows = model.partitionBuffer(t);
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(typeName(t) + ".tsv"))) {
                StringBuilder sb = new StringBuilder();
                for (int p = 0; p < model.partitions(t); p++) {
                    String[] names = EntityNames.ofPartition(graph, t, p, model.partitionRows(t, p));
                    model.readPartition(t, p, rows);
                    for (int i = 0; i < names.length; i++) {
                        sb.setLength(0);
                        sb.append(names[i]);
                        for (int k = 0; k < d; k++) {
                            sb.append('\t').append(rows[i * d + k]);
                        }
                        w.append(sb).append('\n');
                    }
                }
            }
        }
        writeRelations(dir);
    }

    public void writeNpy(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int t = 0; t < model.types(); t++) {
            float[] rows = model.partitionBuffer(t);
            try (BufferedWriter names = Files.newBufferedWriter(dir.resolve(typeName(t) + ".names"));
                    DataOutputStream npy =
                            new DataOutputStream(Files.newOutputStream(dir.resolve(typeName(t) + ".npy")))) {
                writeNpyHeader(npy, model.count[t], model.d);
                for (int p = 0; p < model.partitions(t); p++) {
                    for (String name : EntityNames.ofPartition(graph, t, p, model.partitionRows(t, p))) {
                        names.append(name).append('\n');
                    }
                    model.readPartition(t, p, rows);
                    writeFloats(npy, rows, model.partitionRows(t, p) * model.d);
                }
            }
        }
        writeRelations(dir);
    }

    /** numpy's .npy format 1.0 of a {@code rows × cols} float32 matrix. */
    public static void writeNpy(OutputStream out, float[] values, int rows, int cols) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        writeNpyHeader(data, rows, cols);
        writeFloats(data, values, rows * cols);
        data.flush();
    }

    /** Magic, version, little-endian header length, and a dict padded so that the data starts 64-byte aligned. */
    private static void writeNpyHeader(DataOutputStream data, int rows, int cols) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        data.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        int len = header.length();
        data.write(len & 0xff);
        data.write(len >>> 8);
        data.write(header.getBytes(StandardCharsets.US_ASCII));
    }

    /** The first {@code n} values, little-endian. */
    private static void writeFloats(DataOutputStream data, float[] values, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 * 8192).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            buf.putFloat(values[i]);
            if (!buf.hasRemaining()) {
                data.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        }
        data.write(buf.array(), 0, buf.position());
    }

    public void writeRelations(Path dir) throws IOException {
        List<Object> rels = new ArrayList<>();
        for (int r = 0; r < model.params.relation.length; r++) {
            RelationConfig rc = model.config.relations().get(r);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", rc.name());
            m.put("lhs", rc.lhs());
            m.put("rhs", rc.rhs());
            m.put("operator", rc.operator().configName());
            m.put("parameters", numbers(model.params.relation[r]));
            if (model.params.dynamicRelations()) {
                // Tails are ranked by score(g(h), t) with g the operator with these parameters (PBG's lhs operator).
                m.put("reciprocal_parameters", numbers(model.params.reciprocal[r]));
            }
            rels.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dimension", model.d);
        root.put("comparator", model.config.comparator().configName());
        // With bias, element 0 of every (transformed) embedding is a bias: score = comparator(a[1:], b[1:]) + a[0] +
        // b[0].
        root.put("bias", model.config.bias());
        root.put("dynamic_relations", model.params.dynamicRelations());
        root.put("relations", rels);
        Files.writeString(dir.resolve("relations.json"), Json.write(root));
    }

    private String typeName(int type) {
        return model.config.entities().get(type).name();
    }

    private static List<Object> numbers(float[] values) {
        List<Object> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add((double) v);
        }
        return out;
    }
}
