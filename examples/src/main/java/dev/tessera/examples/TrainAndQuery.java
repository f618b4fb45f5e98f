package dev.tessera.examples;

import dev.tessera.Tessera;
import dev.tessera.serving.EmbeddingModel;
import dev.tessera.storage.Split;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingListener;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The Java API on an imported graph: train (resuming after the checkpoint's last complete epoch), evaluate
 * the test split, then ask the trained embeddings for an entity's nearest neighbours and likeliest tails.
 *
 * <p>Usage: {@code bin/run examples TrainAndQuery CONFIG GRAPH CHECKPOINT ENTITY [RELATION]}, e.g. after the
 * quickstart's import: {@code bin/run examples TrainAndQuery examples/configs/wordnet.yaml graphs/wordnet
 * graphs/wordnet.checkpoint 02084071-n _hypernym}
 */
public final class TrainAndQuery {
    private TrainAndQuery() {}

    public static void main(String[] args) {
        Path config = Path.of(args[0]);
        Path graph = Path.of(args[1]);
        Path checkpoint = Path.of(args[2]);
        String entity = args[3];

        Trainer.Result trained = Tessera.train(config, graph, checkpoint, new TrainingListener() {
            @Override
            public void onEpoch(int epoch, double meanLoss, double edgesPerSecond) {
                System.out.printf(
                        Locale.ROOT, "epoch %d: loss %.4f, %.0f edges/s%n", epoch + 1, meanLoss, edgesPerSecond);
            }
        });
        System.out.printf(Locale.ROOT, "trained %d epochs in %.1f s%n", trained.epochs(), trained.seconds());

        Map<String, Object> metrics = Tessera.evaluate(graph, checkpoint, Split.TEST, true);
        System.out.println("filtered test MRR " + metrics.get("mrr") + ", Hits@10 " + metrics.get("hits10"));

        try (EmbeddingModel model = Tessera.embeddings(graph, checkpoint)) {
            System.out.println("nearest to " + entity + " (" + model.metric() + "):");
            for (EmbeddingModel.Scored s : model.nearest(entity, 5)) {
                System.out.printf(Locale.ROOT, "  %s %.3f%n", s.entity(), s.score());
            }
            if (args.length > 4) {
                System.out.println("likeliest unknown tails of (" + entity + ", " + args[4] + ", ?):");
                for (EmbeddingModel.Scored s : model.topTails(entity, args[4], 5, true)) {
                    System.out.printf(Locale.ROOT, "  %s %.3f%n", s.entity(), s.score());
                }
            }
        }
    }
}
