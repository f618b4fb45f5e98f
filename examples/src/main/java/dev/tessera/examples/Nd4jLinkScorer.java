package dev.tessera.examples;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Exported embeddings feeding a small ND4J model, as a recommender team would: it reads {@code TYPE.npy} and
 * {@code TYPE.names} as {@code bin/tessera export --format npy} writes them, and trains a logistic scorer for one
 * relation on the element-wise product of head and tail embeddings (positives: the relation's edges; negatives:
 * the same heads with random tails). It reports the AUC of held-out edges against random tails.
 *
 * <p>Usage: {@code bin/run examples Nd4jLinkScorer EXPORT_DIR TYPE TRAIN_EDGES TEST_EDGES RELATION}, edges as
 * {@code head<TAB>relation<TAB>tail}; e.g. after {@code bin/tessera export --format npy --out /tmp/umls ...}:
 * {@code bin/run examples Nd4jLinkScorer /tmp/umls e ../shared/data/kg/umls/train.txt
 * ../shared/data/kg/umls/test.txt affects}.
 */
public final class Nd4jLinkScorer {
    private static final int NEGATIVES_PER_EDGE = 4;
    private static final int STEPS = 300;
    private static final double LEARNING_RATE = 0.5;

    private Nd4jLinkScorer() {}

    /** Held-out and training AUC, and the edges each was measured on. */
    public record Result(double testAuc, double trainAuc, int trainEdges, int testEdges) {}

    public static void main(String[] args) throws IOException {
        Result r = run(Path.of(args[0]), args[1], Path.of(args[2]), Path.of(args[3]), args[4]);
        System.out.printf(
                Locale.ROOT,
                "%s: AUC %.3f on %d held-out edges (%.3f on %d training edges)%n",
                args[4],
                r.testAuc(),
                r.testEdges(),
                r.trainAuc(),
                r.trainEdges());
    }

    public static Result run(Path export, String type, Path trainEdges, Path testEdges, String relation)
            throws IOException {
        INDArray embeddings =
                Nd4j.createFromNpyFile(new File(export.resolve(type + ".npy").toString()));
        List<String> names = Files.readAllLines(export.resolve(type + ".names"));
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            row.put(names.get(i), i);
        }
        Random random = new Random(1);
        Pairs train = Pairs.of(trainEdges, relation, row, random, names.size());
        Pairs test = Pairs.of(testEdges, relation, row, random, names.size());
        INDArray x = train.features(embeddings);
        INDArray y = train.labels();
        INDArray w = Nd4j.zeros(x.columns(), 1);
        double bias = 0;
        // Full-batch gradient descent on the logistic loss: the scorer is small, its inputs are the embeddings.
        for (int step = 0; step < STEPS; step++) {
            INDArray error = Transforms.sigmoid(x.mmul(w).addi(bias)).subi(y);
            w.subi(x.transpose().mmul(error).muli(LEARNING_RATE / x.rows()));
            bias -= LEARNING_RATE * error.meanNumber().doubleValue();
        }
        return new Result(
                auc(test.features(embeddings).mmul(w), test.labels()),
                auc(x.mmul(w), y),
                train.positives(),
                test.positives());
    }

    /** The chance that a positive outscores a negative (ties count half). */
    static double auc(INDArray scores, INDArray labels) {
        List<Double> positives = new ArrayList<>();
        List<Double> negatives = new ArrayList<>();
        for (int i = 0; i < scores.rows(); i++) {
            (labels.getDouble(i, 0) > 0.5 ? positives : negatives).add(scores.getDouble(i, 0));
        }
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positives.size() * negatives.size());
    }

    /** Head and tail rows of a relation's edges, each followed by negatives: the same head, random tails. */
    private record Pairs(int[] heads, int[] tails, int positives) {
        static Pairs of(Path edges, String relation, Map<String, Integer> row, Random random, int entities)
                throws IOException {
            List<int[]> pairs = new ArrayList<>();
            for (String line : Files.readAllLines(edges)) {
                String[] f = line.split("\t");
                if (f.length == 3 && f[1].equals(relation) && row.containsKey(f[0]) && row.containsKey(f[2])) {
                    pairs.add(new int[] {row.get(f[0]), row.get(f[2])});
                }
            }
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException(edges + " has no edge of relation '" + relation + "'");
            }
            int n = pairs.size() * (1 + NEGATIVES_PER_EDGE);
            int[] heads = new int[n];
            int[] tails = new int[n];
            int i = 0;
            for (int[] p : pairs) {
                heads[i] = p[0];
                tails[i++] = p[1];
                for (int k = 0; k < NEGATIVES_PER_EDGE; k++) {
                    heads[i] = p[0];
                    tails[i++] = random.nextInt(entities);
                }
            }
            return new Pairs(heads, tails, pairs.size());
        }

        INDArray features(INDArray embeddings) {
            return embeddings.getRows(heads).mul(embeddings.getRows(tails));
        }

        INDArray labels() {
            INDArray y = Nd4j.zeros(heads.length, 1);
            for (int i = 0; i < heads.length; i += 1 + NEGATIVES_PER_EDGE) {
                y.putScalar(i, 0, 1.0);
            }
            return y;
        }
    }
}
