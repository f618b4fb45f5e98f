package dev.tessera.trainer;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.sampler.AliasTable;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * A single machine's partitions: read from and written back to the checkpoint store through a
 * {@link PartitionBuffer}, evicted arrays recycled for the next load ({@link SparePartitions}). One buffer
 * serves the whole run: partitions resident when an epoch ends were just written to the committed version,
 * so the next epoch goes on with them instead of reading them back.
 */
public final class CheckpointPartitionStore implements PartitionStore {
    private final GraphStore graph;
    private final GraphMeta meta;
    private final CheckpointStore checkpoints;
    private final TesseraConfig config;
    private final TrainingSettings s;
    private final FeatureTables featureTables;
    private final int[] partsOfType;
    private final SparePartitions spare = new SparePartitions();
    private final EpochVersions current = new EpochVersions();
    private final PartitionBuffer buffer;

    public CheckpointPartitionStore(
            GraphStore graph,
            CheckpointStore checkpoints,
            TesseraConfig config,
            TrainingSettings settings,
            FeatureTables featureTables,
            int[] partsOfType) {
        this.graph = graph;
        this.meta = graph.meta();
        this.checkpoints = checkpoints;
        this.config = config;
        this.s = settings;
        this.featureTables = featureTables;
        this.partsOfType = partsOfType;
        this.buffer = new PartitionBuffer(
                capacity(),
                (type, part) -> load(type, part, current.versionOf(type, part)),
                new PartitionBuffer.Sink() {
                    @Override
                    public void store(EmbeddingPartition p, IntConsumer rowsStored) {
                        if (p.features != null) {
                            return; // derived from the feature table: written once per epoch, by writeFeaturized
                        }
                        checkpoints.writePartition(
                                current.working, p.type, p.part, p.embeddings, p.state, p.rows, p.d, rowsStored);
                        current.markWritten(p.type, p.part);
                    }

                    @Override
                    public void recycle(EmbeddingPartition p, WriteBackProgress writeBack) {
                        if (p.features == null) {
                            spare.offer(p, writeBack);
                        }
                    }
                });
    }

    @Override
    public void startEpoch(int working, int[][] previous) {
        current.start(working, previous, partsOfType);
    }

    @Override
    public Map<Long, EmbeddingPartition> acquire(Set<Long> needed) {
        return buffer.acquire(needed);
    }

    @Override
    public void prefetch(Set<Long> next, Set<Long> pinned) {
        buffer.prefetch(next, pinned);
    }

    @Override
    public int[][] finishEpoch() {
        buffer.flushAll();
        writeFeaturized();
        int[][] now = new int[partsOfType.length][];
        for (int t = 0; t < partsOfType.length; t++) {
            now[t] = new int[partsOfType[t]];
            for (int q = 0; q < partsOfType[t]; q++) {
                now[t][q] = current.versionOf(t, q);
            }
        }
        return now;
    }

    @Override
    public long waitNanos() {
        return buffer.waitNanos();
    }

    @Override
    public int loads() {
        return buffer.loads();
    }

    @Override
    public void close() {
        buffer.close();
    }

    /** Partitions the buffer must hold: the configured count, and at least what one bucket needs. */
    private int capacity() {
        int unpartitioned = 0;
        int partitioned = 0;
        for (int n : partsOfType) {
            if (n == 1) {
                unpartitioned++;
            } else {
                partitioned++;
            }
        }
        return unpartitioned + bufferedPerType(s) * Math.max(1, partitioned);
    }

    /** Partitions of each partitioned type the buffer holds: the configured count, and the two a bucket may need. */
    static int bufferedPerType(TrainingSettings s) {
        return Math.max(s.bufferPartitions(), 2);
    }

    private EmbeddingPartition load(int type, int part, int fromVersion) {
        long[] counts = meta.entityCounts(config.entities().get(type).name());
        int rows = (int) counts[part];
        EmbeddingPartition table = featureTables.of(type);
        if (table != null) {
            // Its rows are computed from the table on every gather; only the features are needed.
            return withDegrees(EmbeddingPartition.featurized(
                    type,
                    part,
                    rows,
                    FeaturizedRows.load(graph, type, config.entities().get(type).name(), part, rows),
                    table));
        }
        EmbeddingPartition p;
        WriteBackProgress previousWrite;
        SparePartitions.Spare recycled = spare.take(type, rows);
        if (recycled != null) {
            p = new EmbeddingPartition(type, part, rows, s.dimension(), recycled.arrays());
            previousWrite = recycled.writeBack();
        } else {
            p = EmbeddingPartition.withCapacity(type, part, rows, s.dimension(), (int)
                    Arrays.stream(counts).max().orElse(rows));
            previousWrite = WriteBackProgress.finished();
        }
        if (fromVersion > 0) {
            checkpoints.readPartition(
                    fromVersion, type, part, p.embeddings, p.state, rows, s.dimension(), previousWrite::awaitStored);
        } else {
            previousWrite.awaitFinished();
            p.initialize(s.initScale(), s.seed());
        }
        return withDegrees(p);
    }

    private EmbeddingPartition withDegrees(EmbeddingPartition p) {
        if (s.degreeNegatives() > 0) {
            int[][] degrees = graph.degrees(p.type, p.part, p.rows);
            p.degrees = AliasTable.ofDegrees(degrees[0], degrees[1], s.degreeExponent());
        }
        return p;
    }

    /**
     * Writes every partition of the featurized types into the epoch's version, its rows computed from the
     * feature table as it ends the epoch: readers of the checkpoint (evaluation, export, k-NN) then see
     * entity rows like any other type's, and none is stale from a table that kept training after the
     * partition was evicted.
     */
    private void writeFeaturized() {
        int d = s.dimension();
        for (int t = 0; t < partsOfType.length; t++) {
            EmbeddingPartition table = featureTables.of(t);
            if (table == null) {
                continue;
            }
            String type = config.entities().get(t).name();
            for (int q = 0; q < partsOfType[t]; q++) {
                int rows = Math.toIntExact(meta.entityCounts(type)[q]);
                float[] embeddings = new float[rows * d];
                FeaturizedRows.load(graph, t, type, q, rows).embedAll(table.embeddings, d, embeddings);
                checkpoints.writePartition(current.working, t, q, embeddings, new float[rows], rows, d);
                current.markWritten(t, q);
            }
        }
    }

    /**
     * Where partitions are read from and written to during the current epoch: its working version, and for
     * partitions not yet written in it, the version the last checkpoint names.
     */
    private static final class EpochVersions {
        volatile int working;
        volatile int[][] previous;
        volatile boolean[][] written;

        void start(int working, int[][] previous, int[] partsOfType) {
            boolean[][] w = new boolean[partsOfType.length][];
            for (int t = 0; t < partsOfType.length; t++) {
                w[t] = new boolean[partsOfType[t]];
            }
            this.working = working;
            this.previous = previous;
            this.written = w;
        }

        synchronized void markWritten(int type, int part) {
            written[type][part] = true;
        }

        synchronized int versionOf(int type, int part) {
            return written[type][part] ? working : previous[type][part];
        }
    }
}
