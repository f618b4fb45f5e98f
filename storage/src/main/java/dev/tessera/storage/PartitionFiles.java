package dev.tessera.storage;

import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * A partition written as SST files, not yet part of any store: its optimizer state and its embeddings (either
 * null when the partition has no rows). A {@link CheckpointStore} takes them over with
 * {@link CheckpointStore#ingestPartitionFiles}; the store may be in another process (distributed training's
 * homes write their partitions this way into the shared checkpoint directory, and the trainer that owns the
 * store ingests them).
 */
public record PartitionFiles(Path optimizer, Path embeddings) {
    /**
     * Writes a partition of data version {@code version} as a pair of SST files named after {@code name} in
     * {@code dir}. {@code rowsStored} learns after each block how many of the first rows are written (their
     * memory may then be reused while the rest is written).
     *
     * <p>The blocks go into SST files that RocksDB then takes over whole (ingestion), not through memtables: a
     * partition written back at every swap filled 8 MB memtables a dozen times, each flushed while the next
     * filled, and their arenas were a fixed share of partitioned training's memory.
     */
    public static PartitionFiles write(
            Path dir,
            String name,
            int version,
            int type,
            int part,
            float[] embeddings,
            float[] state,
            int rows,
            int d,
            IntConsumer rowsStored) {
        Path stateFile = dir.resolve(name + "-optimizer.sst");
        Path embeddingsFile = dir.resolve(name + "-embeddings.sst");
        // Block by block through one reused buffer: a partition written back costs no heap beyond it (its
        // size in short-lived arrays, at every swap, is what grew the heap of partitioned training).
        int perBlock = CheckpointStore.ROWS_PER_BLOCK;
        byte[] scratch = new byte[FloatBlock.frameLength(perBlock * d)];
        try (SortedSstWriter stateOut = SortedSstWriter.uncompressed(stateFile);
                SortedSstWriter embeddingsOut = SortedSstWriter.uncompressed(embeddingsFile)) {
            for (int first = 0; first < rows; first += perBlock) {
                int n = Math.min(perBlock, rows - first);
                byte[] key = CheckpointStore.rowKey(version, type, part, first);
                stateOut.put(key, scratch, FloatBlock.encodeInto(scratch, state, first, n));
                embeddingsOut.put(key, scratch, FloatBlock.encodeInto(scratch, embeddings, first * d, n * d));
                rowsStored.accept(first + n);
            }
            return new PartitionFiles(stateOut.finish(), embeddingsOut.finish());
        } catch (RuntimeException e) {
            CheckpointStore.deleteIfLeft(stateFile);
            CheckpointStore.deleteIfLeft(embeddingsFile);
            throw e;
        }
    }

    void deleteIfLeft() {
        CheckpointStore.deleteIfLeft(optimizer);
        CheckpointStore.deleteIfLeft(embeddings);
    }
}
