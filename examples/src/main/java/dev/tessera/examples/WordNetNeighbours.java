package dev.tessera.examples;

import dev.tessera.Tessera;
import dev.tessera.model.TrainedModel;
import dev.tessera.serving.EntityNames;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The quickstart's last step, through the Java API: nearest neighbours (cosine) of a few familiar synsets
 * in the trained WordNet embeddings, shown by their words.
 *
 * <p>Usage: {@code bin/run examples WordNetNeighbours [GRAPH] [CHECKPOINT] [ENTITIES_TSV]}
 */
public final class WordNetNeighbours {
    private static final List<String> QUERIES = List.of("dog", "car", "computer", "king", "happy", "run");

    private WordNetNeighbours() {}

    public static void main(String[] args) throws IOException {
        Path graph = Path.of(args.length > 0 ? args[0] : "graphs/wordnet");
        Path checkpoint = Path.of(args.length > 1 ? args[1] : "graphs/wordnet.checkpoint");
        Path entities = Path.of(args.length > 2 ? args[2] : "../shared/data/wordnet30/entities.tsv");
        Map<String, String> words = new HashMap<>();
        // A word's synset: the first noun whose first word it is, else the first synset listing it at all.
        Map<String, String> firstSynsetOfWord = new HashMap<>();
        Map<String, String> anySynsetOfWord = new HashMap<>();
        List<String> lines = Files.readAllLines(entities);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            words.put(f[0], f[3]);
            String[] ws = f[3].split(",");
            if (f[1].equals("n")) {
                firstSynsetOfWord.putIfAbsent(ws[0], f[0]);
            }
            for (String w : ws) {
                anySynsetOfWord.putIfAbsent(w, f[0]);
            }
        }
        anySynsetOfWord.forEach(firstSynsetOfWord::putIfAbsent);
        TrainedModel model = Tessera.model(graph, checkpoint);
        int d = model.d;
        float[] e = model.embeddings[0];
        int n = model.count[0];
        float[] norms = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += e[i * d + k] * e[i * d + k];
            }
            norms[i] = (float) Math.sqrt(Math.max(s, 1e-12));
        }
        try (GraphStore g = GraphStore.openReadOnly(graph)) {
            List<String> names = EntityNames.inRowOrder(g, 0, n);
            for (String word : QUERIES) {
                String synset = firstSynsetOfWord.get(word);
                EntityRef ref = synset == null ? null : g.entity(synset).orElse(null);
                if (ref == null) {
                    continue;
                }
                int q = model.row(0, ref.part(), ref.offset());
                PriorityQueue<double[]> top = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
                for (int i = 0; i < n; i++) {
                    if (i == q) {
                        continue;
                    }
                    double dot = 0;
                    for (int k = 0; k < d; k++) {
                        dot += e[q * d + k] * e[i * d + k];
                    }
                    top.add(new double[] {dot / (norms[q] * norms[i]), i});
                    if (top.size() > 5) {
                        top.poll();
                    }
                }
                StringBuilder sb =
                        new StringBuilder(String.format("%-9s %-30s ->", word, "(" + words.get(synset) + ")"));
                top.stream()
                        .sorted((a, b) -> Double.compare(b[0], a[0]))
                        .forEach(t -> sb.append(String.format(
                                "  %s %.2f", shortWords(words.get(names.get((int) t[1]))), t[0])));
                System.out.println(sb);
            }
        }
    }

    private static String shortWords(String w) {
        String[] parts = w == null ? new String[] {"?"} : w.split(",");
        return parts.length > 2 ? parts[0] + "," + parts[1] : w;
    }
}
