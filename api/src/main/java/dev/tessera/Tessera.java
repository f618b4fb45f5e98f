package dev.tessera;

import dev.tessera.core.config.BackendName;
import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.gcn.AdjacencyFile;
import dev.tessera.gcn.FeatureSource;
import dev.tessera.gcn.FullBatchGcnTrainer;
import dev.tessera.gcn.GcnProgress;
import dev.tessera.gcn.GcnResult;
import dev.tessera.gcn.GcnSettings;
import dev.tessera.gcn.MiniBatchGcnTrainer;
import dev.tessera.gcn.NodeClassificationData;
import dev.tessera.gcn.NodeFiles;
import dev.tessera.gcn.NodeIndex;
import dev.tessera.gcn.NodeSplits;
import dev.tessera.model.TrainedModel;
import dev.tessera.model.backend.Backends;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.partitioner.NewEntityEdges;
import dev.tessera.serving.EmbeddingModel;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.FeatureStore;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.storage.TrainedGraph;
import dev.tessera.trainer.ModelCompatibility;
import dev.tessera.trainer.NewEntityTrainer;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingConfig;
import dev.tessera.trainer.TrainingListener;
import dev.tessera.trainer.eval.Evaluator;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java API on directories the CLI also uses: {@link #train} (resuming from the checkpoint's last
 * complete epoch), {@link #evaluate}, {@link #model} to read the trained embeddings, {@link #embeddings} to
 * score and search them, {@link #update} to add entities to a trained graph without retraining it, and
 * {@link #gcn} for node classification.
 * Import a graph first with {@code dev.tessera.jobs.ImportJob} (or {@code bin/tessera import}).
 */
public final class Tessera {
    private static final Logger LOG = LoggerFactory.getLogger(Tessera.class);

    private Tessera() {}

    /** The trained model for applications: scores, top-k links and nearest neighbours (close it when done). */
    public static EmbeddingModel embeddings(Path graph, Path checkpoint) {
        return EmbeddingModel.open(graph, checkpoint);
    }

    /** Trains the graph with the config's model and training settings; the listener sees every bucket and epoch. */
    public static Trainer.Result train(Path config, Path graph, Path checkpoint, TrainingListener listener) {
        try (GraphStore g = GraphStore.openReadOnly(graph);
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(checkpoint, g.meta().fingerprint())) {
            TesseraConfig effective = TrainingConfig.merge(g.meta().schema(), ConfigLoader.load(config));
            return new Trainer(g, ck, effective, Backends.create(effective.backend())).train(listener);
        }
    }

    /** Link-prediction metrics of a split (see {@link Evaluator#evaluate}). */
    public static Map<String, Object> evaluate(Path graph, Path checkpoint, Split split, boolean filtered) {
        try (TrainedGraph t = TrainedGraph.open(graph, checkpoint)) {
            return new Evaluator(t.graph(), t.checkpoint(), OpenBlasBackend.bestAvailable())
                    .evaluate(split, filtered, 0);
        }
    }

    /** The trained embeddings and relation parameters, read whole into memory. */
    public static TrainedModel model(Path graph, Path checkpoint) {
        try (TrainedGraph t = TrainedGraph.open(graph, checkpoint)) {
            return new TrainedModel(t.graph(), t.checkpoint());
        }
    }

    /** What {@link #update} did: entities added, edges read and trained on, the final loss, the new version. */
    public record UpdateResult(
            int entities,
            int edges,
            int trainedEdges,
            int epochs,
            double finalLoss,
            int checkpointVersion,
            double seconds) {}

    /** Progress of {@link #update}: the new rows' training, then the graph's growth. */
    public interface UpdateListener extends TrainingListener {
        /** After the graph holds the new entities and edges, before the checkpoint commits. */
        default void onGraphGrown(int entities, int edges) {}
    }

    /**
     * Embeds the entities that {@code edges} (TSV: {@code src rel dst [weight]}) names but the graph lacks:
     * adds them to the graph with the edges, trains only their rows on those edges (every trained row and
     * relation parameter frozen; the model's loss and negatives; {@code epochs}, or the config's
     * {@code num_epochs}), and commits a new checkpoint version. {@code config}, when given, supplies the
     * training settings (lr, negatives, ...) and must describe the same model as the checkpoint; without it
     * the checkpoint's own training config is used.
     *
     * <p>Order of writes: the new rows' partitions as a new checkpoint data version (invisible until
     * committed), the checkpoint {@link CheckpointStore#stage staged} for the grown graph's fingerprint, the
     * graph's dictionary, edges, degrees and counts in one atomic batch, then the checkpoint pointer together
     * with the fingerprint. A crash before the graph's batch leaves both as they were; a crash after it
     * leaves a staged checkpoint that the next open with the graph commits. Other checkpoints of the graph
     * are refused afterwards, as they lack the new rows.
     */
    public static UpdateResult update(
            Path graph, Path checkpoint, Path edges, Path config, Integer epochs, UpdateListener listener) {
        long started = System.nanoTime();
        try (GraphStore g = GraphStore.open(graph);
                CheckpointStore ck =
                        CheckpointStore.openExisting(checkpoint, g.meta().fingerprint())) {
            TesseraConfig trained = ck.config()
                    .map(json -> ConfigLoader.parseStored(json, checkpoint + " (training config)"))
                    .orElse(g.meta().schema());
            TesseraConfig effective = trained;
            if (config != null) {
                effective = TrainingConfig.merge(g.meta().schema(), ConfigLoader.load(config));
                ModelCompatibility.requireSame(trained, effective, checkpoint);
            }
            if (epochs != null) {
                if (epochs <= 0) {
                    throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
                }
                effective = effective.withNumEpochs(epochs);
            }
            NewEntityEdges added = NewEntityEdges.read(edges, g, effective);
            if (added.entities.isEmpty()) {
                throw new IllegalArgumentException(edges + ": every entity in it is already in the graph; nothing "
                        + "to add (update embeds new entities only)");
            }
            int n = effective.numEpochs();
            NewEntityTrainer.Result r = new NewEntityTrainer(g, ck, effective, Backends.create(effective.backend()))
                    .train(
                            new NewEntityTrainer.Edges(
                                    added.size,
                                    added.rel,
                                    added.lhsPart,
                                    added.lhsOffset,
                                    added.rhsPart,
                                    added.rhsOffset,
                                    added.weight),
                            added.oldCounts,
                            added.addedCounts,
                            added.addedDegrees(effective),
                            n,
                            listener);
            GraphMeta grown =
                    added.grownMeta(g.meta(), java.util.UUID.randomUUID().toString());
            String fingerprint = grown.fingerprint();
            ck.stage(r.checkpoint(), fingerprint);
            added.addTo(g, effective, grown);
            listener.onGraphGrown(added.entities.size(), added.size);
            ck.commit(r.checkpoint(), fingerprint);
            return new UpdateResult(
                    added.entities.size(),
                    added.size,
                    r.trainedEdges(),
                    n,
                    r.finalLoss(),
                    r.checkpoint().version(),
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** A node classification run's result, and how long mini-batch training waited on its batches. */
    public record GcnRun(GcnResult result, double batchWaitSeconds) {}

    /**
     * Trains a GCN to classify the graph's nodes: full-batch, or with {@code miniBatch} on sampled
     * neighbourhoods whose features are read from the graph store per batch (for graphs that do not fit).
     * Features in {@code inputs} are imported into the graph first, replacing stored ones. The dense products
     * run on {@code backend} (the sparse ones are Tessera's own).
     */
    public static GcnRun gcn(
            Path graph,
            GcnInputs inputs,
            GcnSettings settings,
            long seed,
            boolean miniBatch,
            BackendName backend,
            GcnProgress progress) {
        try (GraphStore store = inputs.features() == null ? GraphStore.openReadOnly(graph) : GraphStore.open(graph)) {
            if (inputs.features() != null) {
                FeatureStore.Info imported = NodeFiles.importFeatures(inputs.features(), store);
                LOG.info(
                        "gcn: imported {} feature rows of {} columns from {}",
                        imported.rows(),
                        imported.dimension(),
                        inputs.features());
            }
            return miniBatch
                    ? gcnMiniBatch(store, inputs, settings, seed, Backends.create(backend), progress)
                    : new GcnRun(gcnFullBatch(store, inputs, settings, seed, Backends.create(backend), progress), 0);
        }
    }

    private static GcnResult gcnFullBatch(
            GraphStore store,
            GcnInputs inputs,
            GcnSettings settings,
            long seed,
            DenseBackend backend,
            GcnProgress progress) {
        NodeClassificationData data = NodeClassificationData.load(
                store,
                inputs.labels(),
                inputs.train(),
                inputs.valid(),
                inputs.test(),
                settings.normalizeFeatures(),
                settings.renumberNodes());
        LOG.info(
                "gcn: {} nodes, {} non-zeros in Â, {} features, {} classes; {} / {} / {} train / valid / test nodes",
                data.index().size(),
                data.adjacency().nonZeros(),
                data.features().cols(),
                data.classes(),
                data.train().length,
                data.valid().length,
                data.test().length);
        return new FullBatchGcnTrainer(backend).train(data, settings, seed, progress);
    }

    private static GcnRun gcnMiniBatch(
            GraphStore store,
            GcnInputs inputs,
            GcnSettings settings,
            long seed,
            DenseBackend backend,
            GcnProgress progress) {
        NodeIndex index = NodeIndex.of(store.meta());
        NodeSplits splits =
                NodeSplits.load(store, index, inputs.labels(), inputs.train(), inputs.valid(), inputs.test());
        FeatureSource source = FeatureSource.stored(new FeatureStore(store), index);
        if (settings.normalizeFeatures()) {
            source = source.rowNormalized();
        }
        try (AdjacencyFile adjacency = AdjacencyFile.openOrBuild(store, index)) {
            LOG.info(
                    "gcn: {} nodes, {} features, {} classes; mini-batches of {} seeds, fan-outs {}",
                    index.size(),
                    source.dimension(),
                    splits.classes(),
                    settings.batchSize(),
                    settings.fanouts());
            MiniBatchGcnTrainer trainer =
                    new MiniBatchGcnTrainer(adjacency, source, splits.classOf(), splits.classes(), backend);
            GcnResult result = trainer.train(splits.train(), splits.valid(), splits.test(), settings, seed, progress);
            return new GcnRun(result, trainer.waitSeconds());
        }
    }
}
