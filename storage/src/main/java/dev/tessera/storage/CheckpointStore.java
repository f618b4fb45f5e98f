package dev.tessera.storage;

import dev.tessera.core.util.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint directory: a RocksDB of versioned embedding partitions, their row-wise optimizer state and the
 * relation parameters, plus the pointer to the last complete {@link Checkpoint}. Data of a version is written
 * first; the pointer flips in one put afterwards, so a crash at any instant leaves the previous checkpoint
 * whole. Keys: {@code version(4) | type(2) | part(4) | firstRow(4)} for embeddings and optimizer state,
 * {@code version(4) | slot(4) | kind(1)} for parameters.
 *
 * <p>A checkpoint that moves to a grown graph (new entities) must commit together with the graph's own
 * write, which lives in another database. It is therefore {@link #stage staged} first: a crash after the
 * graph's write and before {@link #commit(Checkpoint, String)} leaves a checkpoint whose fingerprint is the
 * graph's old one and whose staged record leads from it to the graph's new one; opening it with that graph
 * completes the commit (roll forward).
 */
public final class CheckpointStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    /** Rows per stored block: a block of 400-dimensional rows is 1.6 MB. */
    public static final int ROWS_PER_BLOCK = 1024;

    private static final String POINTER = "checkpoint";
    private static final String GRAPH = "graph_fingerprint";
    private static final String CONFIG = "training_config";
    private static final String STAGED = "staged_commit";
    /** Subdirectory of partition files being written (see {@link #writePartition}). */
    private static final String INGEST_DIRECTORY = "ingest";

    /**
     * Memtable size of checkpoint stores. Partitions reach them as ingested SST files, so their memtables
     * hold only parameters and metadata: RocksDB's default 64 MB (two per family while one flushes) would
     * only reserve native memory. (When partitions went through memtables, 8 MB instead of the default took
     * a P=8 run on 2M nodes from 832 to 644 MB.)
     */
    static final long WRITE_BUFFER_BYTES = 8L << 20;

    private final RocksStore db;

    /**
     * A checkpoint store's column families: small memtables (above), and no compression, since its values
     * are float rows that LZ4 cannot shrink (it would only cost every compaction).
     */
    private static ColumnFamilyOptions columnFamilyOptions() {
        return GraphStore.newColumnFamilyOptions()
                .setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setCompressionType(CompressionType.NO_COMPRESSION);
    }

    private CheckpointStore(RocksStore db) {
        this.db = db;
    }

    /**
     * Opens the checkpoint directory of a graph, creating it when missing. A directory made for another graph
     * (different entity counts or relations) is refused.
     */
    public static CheckpointStore openOrCreate(Path dir, String graphFingerprint) {
        return open(dir, graphFingerprint, true);
    }

    /** Opens an existing checkpoint directory of a graph (for evaluation and export): a missing one is an error. */
    public static CheckpointStore openExisting(Path dir, String graphFingerprint) {
        requireExisting(dir);
        return open(dir, graphFingerprint, false);
    }

    /**
     * Opens an existing checkpoint directory of a graph for reading while another process may own it (a
     * distributed trainer reading its home partitions while rank 0 holds the store): it sees the store as it
     * was when opened, and writes nothing.
     */
    public static CheckpointStore openReadOnly(Path dir, String graphFingerprint) {
        requireExisting(dir);
        RocksStore store = RocksStore.open(dir, true, CheckpointStore::columnFamilyOptions);
        try {
            byte[] stored = store.get(Family.META, Keys.meta(GRAPH));
            if (stored == null
                    || !ValueCodecs.decodeJson("meta/" + GRAPH, stored).equals(graphFingerprint)) {
                throw new StorageException("checkpoint " + dir + " belongs to another graph or records none");
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new CheckpointStore(store);
    }

    private static void requireExisting(Path dir) {
        if (!Files.exists(dir.resolve("CURRENT"))) {
            throw new StorageException(dir + " is not a checkpoint directory (train into it first)");
        }
    }

    private static CheckpointStore open(Path dir, String graphFingerprint, boolean create) {
        RocksStore store = RocksStore.exists(dir)
                ? RocksStore.open(dir, false, CheckpointStore::columnFamilyOptions)
                : RocksStore.create(dir, CheckpointStore::columnFamilyOptions);
        try {
            byte[] stored = store.get(Family.META, Keys.meta(GRAPH));
            if (stored == null && create) {
                store.put(Family.META, Keys.meta(GRAPH), ValueCodecs.encodeJson(graphFingerprint));
            } else if (stored == null) {
                throw new StorageException("checkpoint " + dir + " records no graph; train into it first");
            } else if (!ValueCodecs.decodeJson("meta/" + GRAPH, stored).equals(graphFingerprint)
                    && !completeStagedCommit(
                            store, ValueCodecs.decodeJson("meta/" + GRAPH, stored), graphFingerprint)) {
                throw new StorageException("checkpoint " + dir + " belongs to another graph (its entity counts or "
                        + "relations differ); use a new checkpoint directory");
            }
            // After RocksDB's lock is ours: no other process is writing partition files here.
            removeUningestedFiles(dir);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new CheckpointStore(store);
    }

    /**
     * Commits the staged checkpoint if it leads from the fingerprint this directory records to the graph's
     * current one: the graph's write happened, so the checkpoint's data (written and flushed before it was
     * staged) is what the graph now needs.
     */
    private static boolean completeStagedCommit(RocksStore store, String recorded, String graphFingerprint) {
        byte[] v = store.get(Family.META, Keys.meta(STAGED));
        if (v == null) {
            return false;
        }
        Map<String, Object> staged = Json.parseObject(ValueCodecs.decodeJson("meta/" + STAGED, v));
        if (!recorded.equals(staged.get("from")) || !graphFingerprint.equals(staged.get("to"))) {
            return false;
        }
        Checkpoint c = Checkpoint.fromJson((String) staged.get("checkpoint"));
        new CheckpointStore(store).commit(c, graphFingerprint);
        LOG.info(
                "checkpoint {}: completed an update interrupted after the graph changed (version {})",
                store.dir(),
                c.version());
        return true;
    }

    /** The training config (JSON) the checkpoint's model was trained with; it decides how to score. */
    public void writeConfig(String json) {
        db.put(Family.META, Keys.meta(CONFIG), ValueCodecs.encodeJson(json));
    }

    public Optional<String> config() {
        byte[] v = db.get(Family.META, Keys.meta(CONFIG));
        return v == null ? Optional.empty() : Optional.of(ValueCodecs.decodeJson("meta/" + CONFIG, v));
    }

    public Optional<Checkpoint> latest() {
        byte[] v = db.get(Family.META, Keys.meta(POINTER));
        return v == null
                ? Optional.empty()
                : Optional.of(Checkpoint.fromJson(ValueCodecs.decodeJson("meta/" + POINTER, v)));
    }

    /**
     * Makes {@code c} the latest checkpoint: one put, after all its data is written. Partitions arrive as
     * ingested files, which RocksDB syncs as it takes them over; parameters are puts in the write-ahead log,
     * which the pointer's synced put writes to disk together with itself, in order, so a pointer that survives
     * a crash never leads to data that did not. (Flushing the memtables before and after the put, as this did
     * first, cost two SST files and their syncs per epoch: 8-80 ms, 3% of TransE's training time on WordNet.)
     */
    public void commit(Checkpoint c) {
        db.putDurably(Family.META, Keys.meta(POINTER), ValueCodecs.encodeJson(c.toJson()));
    }

    /**
     * Records, once all of {@code c}'s data is written, that {@code c} is to become the latest checkpoint
     * when the graph moves from the fingerprint this directory records to {@code graphFingerprint}. Call it
     * before the graph's write, and {@link #commit(Checkpoint, String)} after.
     */
    public void stage(Checkpoint c, String graphFingerprint) {
        byte[] recorded = db.get(Family.META, Keys.meta(GRAPH));
        Map<String, Object> staged = new LinkedHashMap<>();
        staged.put("from", ValueCodecs.decodeJson("meta/" + GRAPH, recorded));
        staged.put("to", graphFingerprint);
        staged.put("checkpoint", c.toJson());
        db.flush();
        db.put(Family.META, Keys.meta(STAGED), ValueCodecs.encodeJson(Json.write(staged)));
        db.flush();
    }

    /**
     * Makes {@code c} the latest checkpoint of a graph whose entities changed: the pointer and the graph
     * fingerprint it now belongs to flip in one atomic write, after all its data is written. A staged record
     * left behind is inert: it leads from a fingerprint this directory no longer records.
     */
    public void commit(Checkpoint c, String graphFingerprint) {
        db.flush();
        db.putAll(
                Family.META,
                List.of(Keys.meta(POINTER), Keys.meta(GRAPH)),
                List.of(ValueCodecs.encodeJson(c.toJson()), ValueCodecs.encodeJson(graphFingerprint)));
        db.flush();
    }

    public void writePartition(int version, int type, int part, float[] embeddings, float[] state, int rows, int d) {
        writePartition(version, type, part, embeddings, state, rows, d, stored -> {});
    }

    /**
     * Writes a partition, telling {@code rowsStored} after each block how many of its first rows are stored
     * (their memory may then be reused while the rest is written). It goes in as SST files that RocksDB takes
     * over whole ({@link PartitionFiles#write} says why).
     */
    public void writePartition(
            int version,
            int type,
            int part,
            float[] embeddings,
            float[] state,
            int rows,
            int d,
            IntConsumer rowsStored) {
        String name = "v" + version + "-t" + type + "-p" + part + "-"
                + Thread.currentThread().getId();
        PartitionFiles files = PartitionFiles.write(
                ingestDirectory(), name, version, type, part, embeddings, state, rows, d, rowsStored);
        try {
            ingestPartitionFiles(List.of(files));
        } finally {
            files.deleteIfLeft();
        }
    }

    /**
     * Takes over partition files written by {@link PartitionFiles#write} (they must be on this store's file
     * system: they are moved, not copied).
     */
    public void ingestPartitionFiles(List<PartitionFiles> files) {
        // Optimizer state first: a block's embeddings present means its rows are complete. A version's
        // blocks are read only once its pointer is committed, or, within the epoch that writes it, after the
        // whole write has finished (a reload waits for it). Ingested files are durable: no flush is needed
        // before the pointer that makes them reachable.
        db.ingest(
                Family.OPTIMIZER,
                files.stream()
                        .map(PartitionFiles::optimizer)
                        .filter(f -> f != null)
                        .toList());
        db.ingest(
                Family.EMBEDDINGS,
                files.stream()
                        .map(PartitionFiles::embeddings)
                        .filter(f -> f != null)
                        .toList());
    }

    /**
     * Where partition files are written before ingestion: inside the store's directory, so ingestion moves
     * them (same file system). Files left there by a crash are never ingested; opening the store removes them.
     */
    private Path ingestDirectory() {
        Path files = db.dir().resolve(INGEST_DIRECTORY);
        try {
            Files.createDirectories(files);
        } catch (IOException e) {
            throw new StorageException("cannot create " + files + ": " + e.getMessage(), e);
        }
        return files;
    }

    static void deleteIfLeft(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", file, e.getMessage());
        }
    }

    /** Removes partition files a crash left before their ingestion (see {@link #ingestDirectory}). */
    private static void removeUningestedFiles(Path dir) {
        Path files = dir.resolve(INGEST_DIRECTORY);
        if (!Files.isDirectory(files)) {
            return;
        }
        try (var left = Files.list(files)) {
            left.forEach(CheckpointStore::deleteIfLeft);
        } catch (IOException e) {
            throw new StorageException("cannot list " + files + ": " + e.getMessage(), e);
        }
    }

    /** Reads a partition written by {@link #writePartition}; throws naming the key if any block is missing. */
    public void readPartition(int version, int type, int part, float[] embeddings, float[] state, int rows, int d) {
        readPartition(version, type, part, embeddings, state, rows, d, end -> {});
    }

    /**
     * Reads a partition into arrays whose rows may still be in use: {@code beforeRows} is called with the end
     * of each block's rows before they are overwritten, and returns once they may be.
     */
    public void readPartition(
            int version,
            int type,
            int part,
            float[] embeddings,
            float[] state,
            int rows,
            int d,
            IntConsumer beforeRows) {
        byte[] scratch = new byte[FloatBlock.frameLength(ROWS_PER_BLOCK * d)];
        for (int first = 0; first < rows; first += ROWS_PER_BLOCK) {
            byte[] key = rowKey(version, type, part, first);
            String name = "v" + version + "/type " + type + "/part " + part + "/row " + first;
            beforeRows.accept(Math.min(rows, first + ROWS_PER_BLOCK));
            readBlock(Family.EMBEDDINGS, key, scratch, "embeddings/" + name, embeddings, first * d);
            if (state != null) {
                readBlock(Family.OPTIMIZER, key, scratch, "optimizer/" + name, state, first);
            }
        }
    }

    private void readBlock(Family family, byte[] key, byte[] scratch, String name, float[] out, int at) {
        int length = db.getInto(family, key, scratch);
        if (length > scratch.length) {
            // Not a block this layout writes: let the decoder name what it is.
            FloatBlock.decode(name, db.get(family, key), out, at);
            return;
        }
        FloatBlock.decode(name, length < 0 ? null : scratch, length, out, at);
    }

    /** Parameters of one slot (a relation id, or a global embedding): values and their optimizer state. */
    public void writeParams(int version, int slot, float[] values, float[] state) {
        db.putAll(
                Family.PARAMS,
                List.of(paramKey(version, slot, 1), paramKey(version, slot, 0)),
                List.of(FloatBlock.encode(state, 0, state.length), FloatBlock.encode(values, 0, values.length)));
    }

    public void readParams(int version, int slot, float[] values, float[] state) {
        String name = "params/v" + version + "/slot " + slot;
        FloatBlock.decode(name, db.get(Family.PARAMS, paramKey(version, slot, 0)), values, 0);
        if (state != null) {
            FloatBlock.decode(name + "/state", db.get(Family.PARAMS, paramKey(version, slot, 1)), state, 0);
        }
    }

    /** Drops every block of a data version that no checkpoint refers to any more. */
    public void deleteVersion(int version) {
        byte[] from = ByteBuffer.allocate(4).putInt(version).array();
        byte[] to = ByteBuffer.allocate(4).putInt(version + 1).array();
        for (Family f : List.of(Family.EMBEDDINGS, Family.OPTIMIZER, Family.PARAMS)) {
            db.deleteRange(f, from, to);
        }
    }

    static byte[] rowKey(int version, int type, int part, int first) {
        return ByteBuffer.allocate(14)
                .putInt(version)
                .putShort((short) type)
                .putInt(part)
                .putInt(first)
                .array();
    }

    private static byte[] paramKey(int version, int slot, int kind) {
        return ByteBuffer.allocate(9)
                .putInt(version)
                .putInt(slot)
                .put((byte) kind)
                .array();
    }

    /** Writes the memtables to SST files, so that a read-only opener elsewhere sees everything written so far. */
    public void flush() {
        db.flush();
    }

    public Path dir() {
        return db.dir();
    }

    @Override
    public void close() {
        db.close();
    }
}
