package dev.tessera.benchmarks;

import dev.tessera.core.util.IntList;
import dev.tessera.core.util.ProcessMemory;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The importer a user writes in an afternoon, as the comparison for Tessera's: one thread reads the TSV,
 * keeps a hash map from name to (partition, offset) and appends each edge to its bucket's arrays, then
 * writes every bucket and every partition's names to plain files. No checks beyond the column count, no
 * checksums, no bounded memory: everything is held until the end (PyTorch-BigGraph's importer works the
 * same way). Prints one {@code key=value} line.
 *
 * <p>Usage: {@code InMemoryImportBaseline --input edges.tsv --partitions 16 --out DIR}
 */
public final class InMemoryImportBaseline {
    private InMemoryImportBaseline() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> a = Args.parse(args);
        Path input = Path.of(a.get("input"));
        int partitions = Integer.parseInt(a.getOrDefault("partitions", "16"));
        Path out = Path.of(a.getOrDefault("out", System.getProperty("java.io.tmpdir") + "/tessera-baseline-import"));
        dev.tessera.storage.StagedDirectory.deleteTree(out);
        Files.createDirectories(out);
        long started = System.nanoTime();

        Map<String, Integer> entities = new HashMap<>();
        IntList entityPart = new IntList();
        IntList entityOffset = new IntList();
        List<List<String>> names = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            names.add(new ArrayList<>());
        }
        Map<String, Integer> relations = new HashMap<>();
        IntList[][] buckets = new IntList[partitions * partitions][];
        long edges = 0;
        try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int t1 = line.indexOf('\t');
                int t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
                if (t2 < 0) {
                    throw new IllegalArgumentException(input + ":" + (edges + 1) + ": expected src<TAB>rel<TAB>dst");
                }
                int end = line.indexOf('\t', t2 + 1);
                int src = entity(line.substring(0, t1), entities, entityPart, entityOffset, names, partitions);
                int dst = entity(
                        line.substring(t2 + 1, end < 0 ? line.length() : end),
                        entities,
                        entityPart,
                        entityOffset,
                        names,
                        partitions);
                int rel = relations.computeIfAbsent(line.substring(t1 + 1, t2), k -> relations.size());
                int b = entityPart.get(src) * partitions + entityPart.get(dst);
                if (buckets[b] == null) {
                    buckets[b] = new IntList[] {new IntList(), new IntList(), new IntList()};
                }
                buckets[b][0].add(rel);
                buckets[b][1].add(entityOffset.get(src));
                buckets[b][2].add(entityOffset.get(dst));
                edges++;
            }
        }
        for (int b = 0; b < buckets.length; b++) {
            if (buckets[b] != null) {
                try (DataOutputStream o = new DataOutputStream(
                        new java.io.BufferedOutputStream(Files.newOutputStream(out.resolve("bucket-" + b)), 1 << 16))) {
                    for (IntList column : buckets[b]) {
                        writeInts(o, column.toArray());
                    }
                }
            }
        }
        for (int p = 0; p < partitions; p++) {
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve("names-" + p))) {
                for (String name : names.get(p)) {
                    w.append(name).append('\n');
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "benchmark=baseline_import edges=%d entities=%d seconds=%.1f edges_per_s=%.0f peak_rss_mb=%d%n",
                edges,
                entities.size(),
                seconds,
                edges / seconds,
                ProcessMemory.peakRssMb());
    }

    private static int entity(
            String name,
            Map<String, Integer> entities,
            IntList part,
            IntList offset,
            List<List<String>> names,
            int partitions) {
        Integer id = entities.get(name);
        if (id != null) {
            return id;
        }
        int p = Math.floorMod(name.hashCode(), partitions);
        int next = entities.size();
        entities.put(name, next);
        part.add(p);
        offset.add(names.get(p).size());
        names.get(p).add(name);
        return next;
    }

    private static void writeInts(OutputStream o, int[] values) throws IOException {
        byte[] buf = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            buf[4 * i] = (byte) v;
            buf[4 * i + 1] = (byte) (v >>> 8);
            buf[4 * i + 2] = (byte) (v >>> 16);
            buf[4 * i + 3] = (byte) (v >>> 24);
        }
        o.write(buf);
    }
}
