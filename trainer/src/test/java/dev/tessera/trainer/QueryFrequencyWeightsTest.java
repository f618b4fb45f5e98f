package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.EdgeColumns;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each training edge's subsampling weight against counts taken from the triples themselves, and training with them
 * against training on the same edges stored with those weights.
 */
class QueryFrequencyWeightsTest {
    // A concept with four hyponyms (one query with four answers), a head asked under two relations, a loner.
    private static final String[] TRAIN = {
        "a\thypernym\tanimal",
        "b\thypernym\tanimal",
        "c\thypernym\tanimal",
        "d\thypernym\tanimal",
        "a\tpart_of\tzoo",
        "a\thypernym\tthing",
        "zoo\tpart_of\tcity",
        "x\tsimilar\ty",
    };

    @TempDir
    Path dir;

    @Test
    void weighsEachEdgeByItsQueriesCountsScaledToAverageOne() throws IOException {
        Map<String, Double> expected = expectedWeights();
        for (int partitions : new int[] {1, 3}) {
            Map<String, Double> got = weights(partitions, 1f);
            assertEquals(expected.keySet(), got.keySet());
            double sum = 0;
            for (Map.Entry<String, Double> e : got.entrySet()) {
                assertEquals(expected.get(e.getKey()), e.getValue(), 1e-6, e.getKey() + " with P=" + partitions);
                sum += e.getValue();
            }
            assertEquals(TRAIN.length, sum, 1e-5, "the weights average 1");
        }
        // The hub's four edges weigh least, the loner most.
        assertEquals(0.8926, expected.get("a\thypernym\tanimal"), 1e-3);
        assertEquals(1.0932, expected.get("x\tsimilar\ty"), 1e-3);
    }

    @Test
    void multipliesTheEdgesOwnWeights() throws IOException {
        Map<String, Double> expected = expectedWeights();
        Map<String, Double> got = weights(2, 2.5f);
        for (Map.Entry<String, Double> e : got.entrySet()) {
            assertEquals(2.5 * expected.get(e.getKey()), e.getValue(), 1e-5, e.getKey());
        }
    }

    private static Map<String, Double> expectedWeights() {
        return expectedWeights(List.of(TRAIN));
    }

    @Test
    void trainingWithThemIsTrainingOnEdgesStoredWithThoseWeights(@TempDir Path tmp) throws IOException {
        Path nations = SmallGraph.data("kg/nations");
        List<String> train = Files.readAllLines(nations.resolve("train.txt")).stream()
                .filter(l -> !l.isBlank())
                .toList();
        Map<String, Double> expected = expectedWeights(train);
        Path weighted = Files.createDirectories(tmp.resolve("weighted"));
        Files.write(
                weighted.resolve("train.txt"),
                train.stream().map(l -> l + "\t" + expected.get(l).floatValue()).toList());
        Files.copy(nations.resolve("valid.txt"), weighted.resolve("valid.txt"));
        Files.copy(nations.resolve("test.txt"), weighted.resolve("test.txt"));
        String settings = "operator: rotate\ndimension: 20\ncomparator: l2\nloss_fn: self_adversarial\nmargin: 4.0\n"
                + "num_batch_negs: 10\nnum_uniform_negs: 10\nlr: 0.1\nbatch_size: 200\nworkers: 1\n"
                + "eval_fraction: 0\nnum_epochs: 2\n";
        double subsampled = finalLoss(nations, tmp.resolve("a"), settings + "subsampling_weights: true\n");
        double stored = finalLoss(weighted, tmp.resolve("b"), settings);
        double plain = finalLoss(nations, tmp.resolve("c"), settings);
        assertEquals(stored, subsampled, 1e-6 * stored, "the same weights, the same training");
        assertTrue(Math.abs(plain - subsampled) > 1e-3 * plain, plain + " unweighted, " + subsampled + " subsampled");
    }

    private static double finalLoss(Path data, Path dir, String settings) {
        TesseraConfig config = SmallGraph.build(data, dir.resolve("g"), 2, settings);
        try (GraphStore g = GraphStore.openReadOnly(dir.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(dir.resolve("ck"), g.meta().fingerprint())) {
            return new Trainer(g, ck, config, new OpenBlasBackend())
                    .train(new TrainingListener() {})
                    .finalLoss();
        }
    }

    /** 1/√(n(h,r) + n(r,t) + 6), scaled to average 1: written out from the triples. */
    private static Map<String, Double> expectedWeights(List<String> train) {
        Map<String, Integer> heads = new HashMap<>();
        Map<String, Integer> tails = new HashMap<>();
        for (String line : train) {
            String[] t = line.split("\t");
            heads.merge(t[0] + " " + t[1], 1, Integer::sum);
            tails.merge(t[1] + " " + t[2], 1, Integer::sum);
        }
        Map<String, Double> raw = new HashMap<>();
        double sum = 0;
        for (String line : train) {
            String[] t = line.split("\t");
            double w = 1 / Math.sqrt(heads.get(t[0] + " " + t[1]) + tails.get(t[1] + " " + t[2]) + 6);
            raw.put(line, w);
            sum += w;
        }
        double mean = sum / train.size();
        raw.replaceAll((k, v) -> v / mean);
        return raw;
    }

    /** Every training edge's weight after {@link QueryFrequencyWeights#weigh}, the stored ones set to {@code own}. */
    private Map<String, Double> weights(int partitions, float own) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data-" + partitions + "-" + own));
        Files.write(data.resolve("train.txt"), List.of(TRAIN));
        Files.write(data.resolve("valid.txt"), List.of("b\thypernym\tthing"));
        Files.write(data.resolve("test.txt"), List.of("c\thypernym\tthing"));
        Path graphDir = dir.resolve("graph-" + partitions + "-" + own);
        TesseraConfig config = SmallGraph.build(data, graphDir, partitions, "operator: none\n");
        // SmallGraph deals the entities, in name order, to partitions round-robin.
        List<String> names =
                new ArrayList<>(new TreeSet<>(List.of("a", "b", "c", "d", "animal", "thing", "zoo", "city", "x", "y")));
        Map<String, Double> out = new HashMap<>();
        try (GraphStore graph = GraphStore.openReadOnly(graphDir)) {
            QueryFrequencyWeights w = QueryFrequencyWeights.count(graph, config);
            for (int i = 0; i < partitions; i++) {
                for (int j = 0; j < partitions; j++) {
                    EdgeColumns edges = new EdgeColumns();
                    try (EdgeBlockCursor c = graph.edges(Split.TRAIN, i, j)) {
                        c.readInto(edges);
                    }
                    if (edges.size == 0) {
                        continue;
                    }
                    if (own != 1f) {
                        edges.weight = new float[edges.size];
                        Arrays.fill(edges.weight, own);
                    }
                    w.weigh(edges, i, j);
                    for (int e = 0; e < edges.size; e++) {
                        String line = names.get(edges.lhs[e] * partitions + i) + "\t"
                                + config.relations().get(edges.rel[e]).name() + "\t"
                                + names.get(edges.rhs[e] * partitions + j);
                        out.put(line, (double) edges.weight[e]);
                    }
                }
            }
        }
        return out;
    }
}
