package dev.tessera.benchmarks;

import dev.tessera.core.util.Json;
import dev.tessera.serving.EmbeddingExporter;
import dev.tessera.serving.knn.Metric;
import dev.tessera.serving.knn.Neighbours;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * FAISS on the same vectors and queries as {@link KnnBenchmark}: {@code benchmarks/python/faiss_knn.py} under a
 * Python that imports faiss (Debian's {@code python3-faiss} for {@code /usr/bin/python3}), given the vectors as
 * {@code .npy}, the query rows and Tessera's exact answers (for its recall), and read back as one JSON object.
 */
final class FaissBaseline {
    private static final Path SCRIPT = Path.of("benchmarks", "python", "faiss_knn.py");
    private final String python;
    private final String missing;

    private FaissBaseline(String python, String missing) {
        this.python = python;
        this.missing = missing;
    }

    /** FAISS under {@code python}, or none ({@code python} "none", or it cannot import faiss: said why). */
    static FaissBaseline find(String python) throws IOException, InterruptedException {
        if (python.equals("none")) {
            return new FaissBaseline(python, "skipped (--faiss none)");
        }
        if (!Files.isRegularFile(SCRIPT)) {
            return new FaissBaseline(python, SCRIPT + " not found; run from the repository root");
        }
        Process p = new ProcessBuilder(python, "-c", "import faiss")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0
                ? new FaissBaseline(python, null)
                : new FaissBaseline(python, python + " cannot import faiss (apt-get install python3-faiss): " + out);
    }

    boolean available() {
        return missing == null;
    }

    String whyMissing() {
        return missing;
    }

    /** FAISS's flat and HNSW numbers (see the script) on {@code x}, queries {@code self}, recall against truth. */
    Map<String, Object> run(
            float[] x,
            int n,
            int d,
            Metric metric,
            int[] self,
            Neighbours truth,
            int k,
            KnnBenchmark.HnswShape shape,
            int threads)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tessera-faiss");
        try {
            try (OutputStream out = Files.newOutputStream(dir.resolve("vectors.npy"))) {
                EmbeddingExporter.writeNpy(out, x, n, d);
            }
            List<String> queries = new ArrayList<>();
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < self.length; i++) {
                queries.add(Integer.toString(self[i]));
                StringBuilder row = new StringBuilder();
                for (int j = 0; j < truth.count(i); j++) {
                    row.append(j == 0 ? "" : " ").append(truth.row(i, j));
                }
                answers.add(row.toString());
            }
            Files.write(dir.resolve("queries.txt"), queries);
            Files.write(dir.resolve("truth.txt"), answers);
            Path log = dir.resolve("faiss.log");
            Process p = new ProcessBuilder(
                            python,
                            SCRIPT.toString(),
                            dir.toString(),
                            metric.label(),
                            Integer.toString(k),
                            Integer.toString(shape.maxConn()),
                            Integer.toString(shape.beam()),
                            String.join(
                                    ",",
                                    shape.efs().stream().map(String::valueOf).toList()),
                            Integer.toString(threads),
                            Integer.toString(KnnBenchmark.REPEATS))
                    .redirectError(log.toFile())
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
                throw new IllegalStateException("faiss_knn.py failed: " + Files.readString(log));
            }
            String[] lines = out.strip().split("\n");
            return Json.parseObject(lines[lines.length - 1]);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
