package dev.tessera.benchmarks;

import dev.tessera.storage.GraphStore;
import dev.tessera.storage.StagedDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A model larger than the memory the process may use, end to end as a user runs it: generates a graph with
 * power-law degrees, planted structure ({@link PlantedGraph}) and names like real identifiers, imports it with {@code bin/tessera import}, then trains one epoch,
 * evaluates against sampled candidates, exports {@code .npy} and answers an exact k-NN query, each a
 * {@code bin/tessera} process inside a cgroup v1 memory cap smaller than the model (where this machine has
 * none, uncapped, and the report still compares peak RSS with the model's size). Optionally trains once more
 * uncapped, for the capped/uncapped speed ratio. Prints one {@code key=value} line.
 *
 * <p>Usage: {@code ScaleBenchmark [--entities 20000000] [--edges 100000000] [--relations 8] [--partitions 16]
 * [--dimension 100] [--cap-mb 3072] [--heap-mb 2048] [--import-heap-mb 8192] [--buffer 3] [--eval-limit 2000] [--sampled-negatives
 * 1000] [--uncapped-train false] [--work /tmp/tessera-scale]} (run from the repository root: it starts
 * {@code bin/tessera}).
 */
public final class ScaleBenchmark {
    private static final String NAME_PREFIX = "https://kg.example.org/entity/Q";

    private ScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        long entities = Long.parseLong(a.getOrDefault("entities", "20000000"));
        long edges = Long.parseLong(a.getOrDefault("edges", "100000000"));
        int relations = Integer.parseInt(a.getOrDefault("relations", "8"));
        int partitions = Integer.parseInt(a.getOrDefault("partitions", "16"));
        int dimension = Integer.parseInt(a.getOrDefault("dimension", "100"));
        long capMb = Long.parseLong(a.getOrDefault("cap-mb", "3072"));
        long heapMb = Long.parseLong(a.getOrDefault("heap-mb", "2048"));
        long importHeapMb = Long.parseLong(a.getOrDefault("import-heap-mb", "8192"));
        int buffer = Integer.parseInt(a.getOrDefault("buffer", "3"));
        int evalLimit = Integer.parseInt(a.getOrDefault("eval-limit", "2000"));
        int sampled = Integer.parseInt(a.getOrDefault("sampled-negatives", "1000"));
        boolean uncappedTrain = Boolean.parseBoolean(a.getOrDefault("uncapped-train", "false"));
        Path work = Path.of(a.getOrDefault("work", System.getProperty("java.io.tmpdir") + "/tessera-scale"));

        Path data = work.resolve("data-" + entities + "-" + edges);
        long heldOut = Math.max(10_000, edges / 10_000);
        if (!Files.exists(data.resolve("test.tsv"))) {
            System.err.printf(Locale.ROOT, "generating %,d edges over %,d entities ...%n", edges, entities);
            PlantedGraph g = new PlantedGraph(entities, relations, entities / 20, 0.2);
            g.write(data.resolve("train.tsv"), edges, 1, NAME_PREFIX);
            g.write(data.resolve("valid.tsv"), heldOut, 2, NAME_PREFIX);
            g.write(data.resolve("test.tsv"), heldOut, 3, NAME_PREFIX);
        }
        Path config = work.resolve("scale-p" + partitions + "-d" + dimension + ".yaml");
        Files.writeString(config, config(partitions, dimension, buffer));
        Path graph = work.resolve("graph-" + entities + "-" + edges + "-p" + partitions);
        TesseraProcess imported = null;
        if (!Files.exists(graph)) {
            imported = TesseraProcess.run(
                    "import",
                    null,
                    "-Xmx" + importHeapMb + "m",
                    work,
                    List.of(
                            "import",
                            "--config",
                            config.toString(),
                            "--edges",
                            data.resolve("train.tsv").toString(),
                            "--valid",
                            data.resolve("valid.tsv").toString(),
                            "--test",
                            data.resolve("test.tsv").toString(),
                            "--out",
                            graph.toString(),
                            "--json"));
            imported.require("import");
        }
        long modelEntities;
        try (GraphStore g = GraphStore.openReadOnly(graph)) {
            modelEntities = Arrays.stream(g.meta().entityCounts("node")).sum();
        }
        // Embeddings plus one row-wise Adagrad value per entity, as the checkpoint stores them.
        long modelBytes = modelEntities * (dimension + 1) * 4L;
        String heap = "-Xmx" + heapMb + "m";
        Path checkpoint = work.resolve("checkpoint");
        StagedDirectory.deleteTree(checkpoint);
        List<String> train = List.of(
                "train",
                "--graph",
                graph.toString(),
                "--config",
                config.toString(),
                "--checkpoint",
                checkpoint.toString(),
                "--json");
        TesseraProcess trained = TesseraProcess.run("train", capMb, heap, work, train);
        trained.require("train (capped)");
        TesseraProcess uncapped = null;
        if (uncappedTrain) {
            StagedDirectory.deleteTree(checkpoint);
            uncapped = TesseraProcess.run("train-uncapped", null, heap, work, train);
            uncapped.require("train (uncapped)");
        }
        TesseraProcess eval = TesseraProcess.run(
                "eval",
                capMb,
                heap,
                work,
                onCheckpoint(
                        "eval",
                        graph,
                        checkpoint,
                        "--filtered",
                        "--limit",
                        Integer.toString(evalLimit),
                        "--sampled-negatives",
                        Integer.toString(sampled)));
        Path export = work.resolve("export");
        StagedDirectory.deleteTree(export);
        TesseraProcess exported = TesseraProcess.run(
                "export",
                capMb,
                heap,
                work,
                onCheckpoint("export", graph, checkpoint, "--format", "npy", "--out", export.toString()));
        long exportBytes = bytes(export);
        StagedDirectory.deleteTree(export);
        String query = Files.readAllLines(data.resolve("test.tsv")).get(0).split("\t")[0];
        TesseraProcess knn = TesseraProcess.run(
                "knn", capMb, heap, work, onCheckpoint("knn", graph, checkpoint, "--entity", query, "--k", "10"));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "scale");
        out.put("entities", modelEntities);
        out.put("edges", edges);
        out.put("partitions", partitions);
        out.put("dimension", dimension);
        out.put("model_mb", modelBytes >> 20);
        out.put("cap_mb", capMb);
        out.put("heap_mb", heapMb);
        out.put("graph_disk_mb", bytes(graph) >> 20);
        out.put("checkpoint_disk_mb", bytes(checkpoint) >> 20);
        out.put("export_mb", exportBytes >> 20);
        if (imported != null) {
            out.put("import_seconds", round(imported.seconds()));
            out.put("import_edges_per_s", Math.round(edges / imported.seconds()));
            out.put("import_peak_rss_mb", imported.peakRssMb());
        }
        out.put("train_seconds", round(trained.seconds()));
        out.put("train_edges_per_s", trained.json().get("edges_per_s"));
        out.put("train_peak_rss_mb", trained.peakRssMb());
        out.put("train_io_wait_seconds", trained.json().get("io_wait_seconds"));
        out.put("train_partition_loads", trained.json().get("partition_loads"));
        if (uncapped != null) {
            double rate = ((Number) trained.json().get("edges_per_s")).doubleValue();
            double free = ((Number) uncapped.json().get("edges_per_s")).doubleValue();
            out.put("uncapped_edges_per_s", Math.round(free));
            out.put("uncapped_io_wait_seconds", uncapped.json().get("io_wait_seconds"));
            out.put("capped_over_uncapped", round(rate / free));
        }
        Map<String, TesseraProcess> capped = new LinkedHashMap<>();
        capped.put("eval", eval);
        capped.put("export", exported);
        capped.put("knn", knn);
        for (Map.Entry<String, TesseraProcess> s : capped.entrySet()) {
            out.put(s.getKey() + "_exit", s.getValue().exit());
            out.put(s.getKey() + "_seconds", round(s.getValue().seconds()));
            out.put(s.getKey() + "_peak_rss_mb", s.getValue().peakRssMb());
        }
        if (eval.json() != null) {
            out.put("eval_mrr", eval.json().get("mrr"));
            out.put("eval_hits10", eval.json().get("hits10"));
        }
        StringBuilder line = new StringBuilder();
        out.forEach((k, v) ->
                line.append(line.isEmpty() ? "" : " ").append(k).append('=').append(v));
        System.out.println(line);
    }

    /** {@code bin/tessera COMMAND --graph G --checkpoint CK OPTIONS --json}. */
    private static List<String> onCheckpoint(String command, Path graph, Path checkpoint, String... options) {
        List<String> args =
                new ArrayList<>(List.of(command, "--graph", graph.toString(), "--checkpoint", checkpoint.toString()));
        args.addAll(List.of(options));
        args.add("--json");
        return args;
    }

    /** ComplEx, one epoch, swapping partitions in the order that reuses what the buffer holds. */
    private static String config(int partitions, int dimension, int buffer) {
        return String.join(
                "\n",
                "# ScaleBenchmark: one type, relations discovered from the data.",
                "entities:",
                "  node: {num_partitions: " + partitions + "}",
                "discover_relations: true",
                "relation_template: {operator: complex_diagonal}",
                "dimension: " + dimension,
                "comparator: dot",
                "loss_fn: softmax",
                "num_batch_negs: 50",
                "num_uniform_negs: 50",
                "batch_size: 1000",
                "lr: 0.1",
                "num_epochs: 1",
                "global_emb: false",
                "eval_fraction: 0",
                "partition_buffer: " + buffer,
                "bucket_order: buffer_aware",
                "seed: 1",
                "");
    }

    private static long bytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
