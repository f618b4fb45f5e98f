package dev.tessera;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.trainer.backend.OpenBlasBackend;
import dev.tessera.trainer.eval.Evaluator;
import dev.tessera.trainer.export.TrainedModel;
import dev.tessera.trainer.train.Trainer;
import dev.tessera.trainer.train.TrainingConfig;
import dev.tessera.trainer.train.TrainingListener;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Java API in three calls, on directories the CLI also uses: {@link #train} (resuming from the
 * checkpoint's last complete epoch), {@link #evaluate}, and {@link #model} to read the trained embeddings.
 * Import a graph first with {@code dev.tessera.jobs.ImportJob} (or {@code bin/tessera import}).
 */
public final class Tessera {
    private Tessera() {
    }

    /** Trains the graph with the config's model and training settings; the listener sees every bucket and epoch. */
    public static Trainer.Result train(Path config, Path graph, Path checkpoint, TrainingListener listener) {
        try (GraphStore g = GraphStore.openReadOnly(graph);
             CheckpointStore ck = CheckpointStore.openOrCreate(checkpoint, Trainer.fingerprint(g.meta()))) {
            TesseraConfig effective = TrainingConfig.merge(g.meta().schema(), ConfigLoader.load(config));
            return new Trainer(g, ck, effective, OpenBlasBackend.bestAvailable()).train(listener);
        }
    }

    /** Link-prediction metrics of a split (see {@link Evaluator#evaluate}). */
    public static Map<String, Object> evaluate(Path graph, Path checkpoint, Split split, boolean filtered) {
        try (GraphStore g = GraphStore.openReadOnly(graph);
             CheckpointStore ck = CheckpointStore.openExisting(checkpoint, Trainer.fingerprint(g.meta()))) {
            return new Evaluator(g, ck, OpenBlasBackend.bestAvailable()).evaluate(split, filtered, 0);
        }
    }

    /** The trained embeddings and relation parameters, read whole into memory. */
    public static TrainedModel model(Path graph, Path checkpoint) {
        try (GraphStore g = GraphStore.openReadOnly(graph);
             CheckpointStore ck = CheckpointStore.openExisting(checkpoint, Trainer.fingerprint(g.meta()))) {
            return new TrainedModel(g, ck);
        }
    }
}
