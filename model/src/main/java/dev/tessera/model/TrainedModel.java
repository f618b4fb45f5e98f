package dev.tessera.model;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;

/**
 * A checkpoint's model read back whole: per entity type all embeddings in partition-then-offset order (with
 * the type's global embedding added, as scoring sees them), and the relation parameters.
 */
public final class TrainedModel {
    public final TesseraConfig config;
    public final int d;
    public final float[][] embeddings;
    public final int[] count;
    public final ModelParameters params;
    /** The checkpoint version these embeddings were read from. */
    public final int version;
    /** {@code [type][part]}: the row of a partition's first entity in {@link #embeddings}. */
    private final long[][] firstRow;

    /** The (part, offset) of row {@code row} of type {@code type}: the inverse of {@link #row}. */
    public dev.tessera.storage.EntityRef entityAt(int type, int row) {
        long[] first = firstRow[type];
        int part = 0;
        while (part + 1 < first.length && first[part + 1] <= row) {
            part++;
        }
        return new dev.tessera.storage.EntityRef(type, part, (int) (row - first[part]));
    }

    /** Length of the rows {@link #positions} returns: d, or d − 1 when element 0 is a bias. */
    public int positionDimension() {
        return config.bias() ? d - 1 : d;
    }

    /**
     * The rows of a type as points for neighbour search: the embeddings themselves, or with {@code bias}
     * a copy without element 0, which is a bias term of the score and not part of the entity's position.
     */
    public float[] positions(int type) {
        if (!config.bias()) {
            return embeddings[type];
        }
        int p = d - 1;
        float[] out = new float[count[type] * p];
        for (int i = 0; i < count[type]; i++) {
            System.arraycopy(embeddings[type], i * d + 1, out, i * p, p);
        }
        return out;
    }

    /** The row of entity (type, part, offset) in {@code embeddings[type]}. */
    public int row(int type, int part, int offset) {
        return (int) (firstRow[type][part] + offset);
    }

    public TrainedModel(GraphStore graph, CheckpointStore checkpoints) {
        GraphMeta meta = graph.meta();
        this.config = checkpoints
                .config()
                .map(j -> ConfigLoader.parseStored(j, checkpoints.dir() + " (training config)"))
                .orElse(meta.schema());
        Checkpoint c = checkpoints
                .latest()
                .orElseThrow(() -> new IllegalArgumentException(
                        "checkpoint " + checkpoints.dir() + " holds no complete checkpoint yet; train first"));
        this.d = c.dimension();
        this.version = c.version();
        this.params = new ModelParameters(config, d);
        params.read(checkpoints, c.paramsVersion(), false);
        int types = config.entities().size();
        embeddings = new float[types][];
        count = new int[types];
        firstRow = new long[types][];
        for (int t = 0; t < types; t++) {
            long[] counts = meta.entityCounts(config.entities().get(t).name());
            firstRow[t] = new long[counts.length];
            long total = 0;
            for (int p = 0; p < counts.length; p++) {
                firstRow[t][p] = total;
                total += counts[p];
            }
            count[t] = Math.toIntExact(total);
            embeddings[t] = new float[count[t] * d];
            int at = 0;
            for (int p = 0; p < counts.length; p++) {
                int rows = (int) counts[p];
                if (rows > 0) {
                    float[] part = new float[rows * d];
                    checkpoints.readPartition(c.partitionVersion()[t][p], t, p, part, null, rows, d);
                    System.arraycopy(part, 0, embeddings[t], at * d, rows * d);
                    at += rows;
                }
            }
            if (params.global[t] != null) {
                for (int i = 0; i < count[t]; i++) {
                    for (int k = 0; k < d; k++) {
                        embeddings[t][i * d + k] += params.global[t][k];
                    }
                }
            }
        }
    }
}
