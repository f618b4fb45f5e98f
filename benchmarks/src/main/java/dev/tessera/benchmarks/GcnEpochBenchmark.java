package dev.tessera.benchmarks;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Full-batch GCN epoch times on real graphs, with and without what makes the sparse products fast: the
 * Vector API kernel ({@code -Dtessera.spmm=scalar} turns it off) and the breadth-first node numbering
 * ({@code renumber_nodes: false} turns it off), all four combinations back to back through {@code bin/tessera
 * gcn}, as a user runs it, on Cora (Kipf &amp; Welling's setup) and on WordNet 3.0's 116k synsets classified by
 * lexicographer file (45 classes: {@code noun.animal}, {@code verb.motion}, ...) from their words (a bag of
 * word tokens) and the graph; a seeded 10% / 10% / 80% split of the synsets. Last line {@code key=value}.
 *
 * <p>{@code bin/run benchmarks GcnEpochBenchmark [--data ../shared/data] [--work DIR] [--epochs 200]}
 */
public final class GcnEpochBenchmark {
    private GcnEpochBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        Path data = Path.of(a.getOrDefault("data", "../shared/data"));
        Path work = Path.of(a.getOrDefault("work", System.getProperty("java.io.tmpdir") + "/tessera-gcn-bench"));
        String epochs = a.getOrDefault("epochs", "200");
        Files.createDirectories(work);

        Path cora = data.resolve("planetoid/cora");
        NodeTask coraTask = new NodeTask(
                "cora",
                List.of(
                        "--config",
                        "examples/configs/cora.yaml",
                        "--edges",
                        cora.resolve("edges.tsv").toString()),
                cora.resolve("features.tsv"),
                cora.resolve("labels.tsv"),
                cora.resolve("train_nodes.txt"),
                cora.resolve("valid_nodes.txt"),
                cora.resolve("test_nodes.txt"));
        Path wordnet = data.resolve("wordnet30");
        NodeTask wordnetTask = wordnetTask(wordnet, work.resolve("wordnet-task"));

        Path stored = Files.writeString(work.resolve("stored-order.yaml"), "renumber_nodes: false\n");
        StringBuilder line = new StringBuilder("benchmark=gcn_epochs epochs=" + epochs);
        for (NodeTask task : List.of(coraTask, wordnetTask)) {
            Path graph = work.resolve(task.name() + "-graph");
            List<String> importArgs = new ArrayList<>(List.of("import", "--out", graph.toString(), "--overwrite"));
            importArgs.addAll(task.importArgs());
            importArgs.add("--json");
            TesseraProcess.run(task.name() + "-import", null, null, work, importArgs)
                    .require(task.name() + " import");
            TesseraProcess.run(
                            task.name() + "-features",
                            null,
                            null,
                            work,
                            List.of(
                                    "features",
                                    "--graph",
                                    graph.toString(),
                                    "--file",
                                    task.features().toString(),
                                    "--json"))
                    .require(task.name() + " features");
            for (String kernel : List.of("vector", "scalar")) {
                for (boolean renumber : List.of(true, false)) {
                    List<String> gcn = new ArrayList<>(List.of(
                            "gcn",
                            "--graph",
                            graph.toString(),
                            "--labels",
                            task.labels().toString(),
                            "--train",
                            task.train().toString(),
                            "--valid",
                            task.valid().toString(),
                            "--test",
                            task.test().toString(),
                            "--epochs",
                            epochs,
                            "--json"));
                    if (!renumber) {
                        gcn.addAll(List.of("--config", stored.toString()));
                    }
                    String key = task.name() + "_" + kernel + "_" + (renumber ? "bfs" : "stored");
                    String opts = kernel.equals("scalar") ? "-Xmx4g -Dtessera.spmm=scalar" : "-Xmx4g";
                    TesseraProcess run =
                            TesseraProcess.run(key, null, opts, work, gcn).require(key);
                    line.append(String.format(
                            Locale.ROOT,
                            " %s_epoch_ms=%.2f %s_test_accuracy=%.4f",
                            key,
                            ((Number) run.json().get("epoch_ms")).doubleValue(),
                            key,
                            ((Number) run.json().get("test_accuracy")).doubleValue()));
                }
            }
        }
        System.out.println(line);
    }

    /** A node-classification task for {@code bin/tessera}: how to import its graph, and its node files. */
    private record NodeTask(
            String name, List<String> importArgs, Path features, Path labels, Path train, Path valid, Path test) {}

    /**
     * WordNet's synsets labelled by lexicographer file, with their words as features (one column per token of
     * their lemmas, {@code a_cappella} giving {@code a} and {@code cappella}); only synsets the graph links.
     */
    private static NodeTask wordnetTask(Path wordnet, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path all = wordnet.resolve("all");
        Set<String> linked = new LinkedHashSet<>();
        for (String split : List.of("train.tsv", "valid.tsv", "test.tsv")) {
            for (String l : Files.readAllLines(all.resolve(split), StandardCharsets.UTF_8)) {
                String[] f = l.split("\t");
                linked.add(f[0]);
                linked.add(f[2]);
            }
        }
        Path features = dir.resolve("features.tsv");
        Path labels = dir.resolve("labels.tsv");
        Map<String, Integer> tokens = new HashMap<>();
        List<String> labelled = new ArrayList<>();
        try (BufferedWriter fw = Files.newBufferedWriter(features);
                BufferedWriter lw = Files.newBufferedWriter(labels)) {
            List<String> rows = Files.readAllLines(wordnet.resolve("entities.tsv"), StandardCharsets.UTF_8);
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.split("\t");
                if (!linked.contains(f[0])) {
                    continue;
                }
                lw.write(f[0] + "\t" + f[2] + "\n");
                labelled.add(f[0]);
                Set<Integer> columns = new LinkedHashSet<>();
                for (String token : f[3].toLowerCase(Locale.ROOT).split("[,_]")) {
                    if (!token.isEmpty()) {
                        columns.add(tokens.computeIfAbsent(token, t -> tokens.size()));
                    }
                }
                for (int c : columns) {
                    fw.write(f[0] + "\t" + c + "\t1\n");
                }
            }
        }
        Collections.shuffle(labelled, new Random(1));
        int tenth = labelled.size() / 10;
        Path train = dir.resolve("train.txt");
        Path valid = dir.resolve("valid.txt");
        Path test = dir.resolve("test.txt");
        Files.write(train, labelled.subList(0, tenth));
        Files.write(valid, labelled.subList(tenth, 2 * tenth));
        Files.write(test, labelled.subList(2 * tenth, labelled.size()));
        List<String> importArgs = List.of(
                "--config", "examples/configs/wordnet.yaml",
                "--edges", all.resolve("train.tsv").toString(),
                "--valid", all.resolve("valid.tsv").toString(),
                "--test", all.resolve("test.tsv").toString());
        return new NodeTask("wordnet", importArgs, features, labels, train, valid, test);
    }
}
