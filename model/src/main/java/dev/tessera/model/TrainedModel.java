package dev.tessera.model;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphStore;

/**
 * A checkpoint's model read back whole: per entity type all embeddings in partition-then-offset order (with
 * the type's global embedding added, as scoring sees them), and the relation parameters. For models larger
 * than memory, read partitions one at a time through {@link StoredModel} instead.
 */
public final class TrainedModel implements EmbeddingRows {
    public final TesseraConfig config;
    public final int d;
    public final float[][] embeddings;
    public final int[] count;
    public final ModelParameters params;
    /** The checkpoint version these embeddings were read from. */
    public final int version;

    private final StoredModel stored;

    public TrainedModel(GraphStore graph, CheckpointStore checkpoints) {
        this(new StoredModel(graph, checkpoints));
    }

    /** Reads every partition of {@code stored}, whose checkpoint store must be open. */
    public TrainedModel(StoredModel stored) {
        this.stored = stored;
        this.config = stored.config;
        this.d = stored.d;
        this.count = stored.count;
        this.params = stored.params;
        this.version = stored.version;
        embeddings = new float[stored.types()][];
        for (int t = 0; t < stored.types(); t++) {
            embeddings[t] = new float[count[t] * d];
            float[] buffer = stored.partitionBuffer(t);
            for (int p = 0; p < stored.partitions(t); p++) {
                stored.readPartition(t, p, buffer);
                System.arraycopy(buffer, 0, embeddings[t], stored.firstRow(t, p) * d, stored.partitionRows(t, p) * d);
            }
        }
    }

    /** The (part, offset) of row {@code row} of type {@code type}: the inverse of {@link #row}. */
    public EntityRef entityAt(int type, int row) {
        return stored.entityAt(type, row);
    }

    /** The row of entity (type, part, offset) in {@code embeddings[type]}. */
    public int row(int type, int part, int offset) {
        return stored.row(type, part, offset);
    }

    /** Length of the rows {@link #positions} returns: d, or d − 1 when element 0 is a bias. */
    public int positionDimension() {
        return stored.positionDimension();
    }

    /**
     * The rows of a type as points for neighbour search: the embeddings themselves, or with {@code bias}
     * a copy without element 0, which is a bias term of the score and not part of the entity's position.
     */
    public float[] positions(int type) {
        return stored.positions(embeddings[type], count[type]);
    }

    @Override
    public float[] rows(int type, int[] rows) {
        float[] all = embeddings[type];
        if (rows == null) {
            return all.clone();
        }
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(all, rows[i] * d, out, i * d, d);
        }
        return out;
    }
}
