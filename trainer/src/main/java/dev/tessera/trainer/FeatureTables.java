package dev.tessera.trainer;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.FeatureStore;
import dev.tessera.storage.GraphStore;

/**
 * The feature tables of a model's featurized entity types: one row per feature number of the graph's
 * stored features, with a row-wise Adagrad accumulator each, shared by every partition of the type (so a
 * partitioned featurized type keeps one table in memory while its partitions swap). Stored with each
 * checkpoint's parameters, as a partition numbered {@link #CHECKPOINT_PART} of the type.
 */
public final class FeatureTables {
    /** The partition number a type's feature table is stored under (entity partitions never reach it). */
    public static final int CHECKPOINT_PART = Integer.MAX_VALUE;

    private final EmbeddingPartition[] tables;

    private FeatureTables(EmbeddingPartition[] tables) {
        this.tables = tables;
    }

    /** Tables for the config's featurized types, as many rows as the graph's feature numbers. */
    public static FeatureTables of(TesseraConfig config, GraphStore graph, int d) {
        EmbeddingPartition[] tables = new EmbeddingPartition[config.entities().size()];
        for (int t = 0; t < tables.length; t++) {
            String type = config.entities().get(t).name();
            if (config.entities().get(t).featurized()) {
                int features = new FeatureStore(graph)
                        .info()
                        .orElseThrow(() ->
                                new IllegalArgumentException("entity type '" + type + "' is featurized, but graph "
                                        + graph.dir() + " has no features; import them first (bin/tessera features "
                                        + "--graph G --file F.tsv)"))
                        .dimension();
                tables[t] = new EmbeddingPartition(t, CHECKPOINT_PART, features, d);
            }
        }
        return new FeatureTables(tables);
    }

    /** Type {@code type}'s table, or null when the type is not featurized. */
    public EmbeddingPartition of(int type) {
        return tables[type];
    }

    /** Gaussian rows, as entity rows start (see {@link EmbeddingPartition#initialize}). */
    public void initialize(double scale, long seed) {
        for (EmbeddingPartition t : tables) {
            if (t != null) {
                t.initialize(scale, seed);
            }
        }
    }

    public void write(CheckpointStore checkpoints, int version) {
        for (EmbeddingPartition t : tables) {
            if (t != null) {
                checkpoints.writePartition(version, t.type, CHECKPOINT_PART, t.embeddings, t.state, t.rows, t.d);
            }
        }
    }

    public void read(CheckpointStore checkpoints, int version) {
        for (EmbeddingPartition t : tables) {
            if (t != null) {
                checkpoints.readPartition(version, t.type, CHECKPOINT_PART, t.embeddings, t.state, t.rows, t.d);
            }
        }
    }
}
