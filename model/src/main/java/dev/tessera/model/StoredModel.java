package dev.tessera.model;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;

/**
 * A checkpoint's model as stored: its config, shape and relation parameters in memory, and each entity
 * partition's embeddings read on demand, one at a time. What reads a model larger than the memory it may use
 * (evaluation against sampled candidates, export, exact neighbour search) streams partitions through here;
 * {@link TrainedModel} reads them all. Rows are numbered per type in partition-then-offset order.
 *
 * <p>Holds the checkpoint store without owning it: partitions can be read while the store is open.
 */
public final class StoredModel {
    public final TesseraConfig config;
    public final int d;
    public final ModelParameters params;
    /** The checkpoint version these embeddings are read from. */
    public final int version;
    /** Rows per type. */
    public final int[] count;

    private final CheckpointStore checkpoints;
    private final Checkpoint checkpoint;
    /** {@code [type][part]}: the row of a partition's first entity; one more entry holds the type's count. */
    private final long[][] firstRow;

    public StoredModel(GraphStore graph, CheckpointStore checkpoints) {
        GraphMeta meta = graph.meta();
        this.checkpoints = checkpoints;
        this.config = checkpoints
                .config()
                .map(j -> ConfigLoader.parseStored(j, checkpoints.dir() + " (training config)"))
                .orElse(meta.schema());
        this.checkpoint = checkpoints
                .latest()
                .orElseThrow(() -> new IllegalArgumentException(
                        "checkpoint " + checkpoints.dir() + " holds no complete checkpoint yet; train first"));
        this.d = checkpoint.dimension();
        this.version = checkpoint.version();
        this.params = new ModelParameters(config, d);
        params.read(checkpoints, checkpoint.paramsVersion(), false);
        int types = config.entities().size();
        count = new int[types];
        firstRow = new long[types][];
        for (int t = 0; t < types; t++) {
            long[] counts = meta.entityCounts(config.entities().get(t).name());
            firstRow[t] = new long[counts.length + 1];
            for (int p = 0; p < counts.length; p++) {
                firstRow[t][p + 1] = firstRow[t][p] + counts[p];
            }
            long total = firstRow[t][counts.length];
            if (total * d > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        "type '" + config.entities().get(t).name() + "' has " + total + " entities of dimension " + d
                                + ": more than one Java array holds");
            }
            count[t] = (int) total;
        }
    }

    public int types() {
        return count.length;
    }

    public int partitions(int type) {
        return firstRow[type].length - 1;
    }

    /** The row of partition {@code part}'s first entity of {@code type}. */
    public int firstRow(int type, int part) {
        return (int) firstRow[type][part];
    }

    /** Entities of {@code type} in partition {@code part}. */
    public int partitionRows(int type, int part) {
        return (int) (firstRow[type][part + 1] - firstRow[type][part]);
    }

    /** The row of entity (type, part, offset). */
    public int row(int type, int part, int offset) {
        return (int) (firstRow[type][part] + offset);
    }

    /** The (part, offset) of row {@code row} of type {@code type}: the inverse of {@link #row}. */
    public EntityRef entityAt(int type, int row) {
        long[] first = firstRow[type];
        int lo = 0;
        int hi = first.length - 2;
        while (lo < hi) { // the last partition whose first row is ≤ row
            int mid = (lo + hi + 1) >>> 1;
            if (first[mid] <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return new EntityRef(type, lo, (int) (row - first[lo]));
    }

    /** Length of the rows {@link #positions} returns: d, or d − 1 when element 0 is a bias. */
    public int positionDimension() {
        return config.bias() ? d - 1 : d;
    }

    /**
     * Reads partition {@code part}'s embeddings of {@code type} into {@code out} from index 0 (at least
     * {@code partitionRows · d} long), with the type's global embedding added, as scoring sees them.
     */
    public void readPartition(int type, int part, float[] out) {
        int rows = partitionRows(type, part);
        if (rows == 0) {
            return;
        }
        checkpoints.readPartition(checkpoint.partitionVersion()[type][part], type, part, out, null, rows, d);
        float[] global = params.global[type];
        if (global != null) {
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < d; k++) {
                    out[i * d + k] += global[k];
                }
            }
        }
    }

    /** A buffer that holds the largest partition of {@code type}, for {@link #readPartition}. */
    public float[] partitionBuffer(int type) {
        int most = 0;
        for (int p = 0; p < partitions(type); p++) {
            most = Math.max(most, partitionRows(type, p));
        }
        return new float[most * d];
    }

    /**
     * {@code rows · d} values as points for neighbour search: the rows themselves, or with {@code bias} a copy
     * without element 0, which is a bias term of the score and not part of the entity's position.
     */
    public float[] positions(float[] embeddings, int rows) {
        if (!config.bias()) {
            return embeddings;
        }
        int p = d - 1;
        float[] out = new float[rows * p];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(embeddings, i * d + 1, out, i * p, p);
        }
        return out;
    }
}
