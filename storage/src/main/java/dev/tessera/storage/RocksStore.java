package dev.tessera.storage;

import dev.tessera.core.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB with a column family per {@link Family} and a format version in its metadata: what a graph
 * directory ({@link GraphStore}) and a checkpoint directory ({@link CheckpointStore}) are each stored in,
 * with the column family options each chooses. It owns every native object it opens and closes them, in
 * reverse order, in {@link #close}. Safe for concurrent readers.
 */
final class RocksStore implements AutoCloseable {
    /**
     * Version of the layout as a whole (families and key formats); each value kind has its own too. 2: entity
     * keys lead with their name's hash ({@link Keys#entity}); stores of version 1 are still read and grown.
     */
    static final int FORMAT_VERSION = 2;

    static final String FORMAT_KEY = "format_version";

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final Map<Family, ColumnFamilyHandle> families = new EnumMap<>(Family.class);
    private final RocksDB db;
    private int formatVersion = FORMAT_VERSION;

    private RocksStore(Path dir, boolean create, boolean readOnly, ColumnFamilyOptions cfOptions) {
        this.dir = dir;
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(create)
                .setCreateMissingColumnFamilies(create)
                .setMaxBackgroundJobs(2);
        this.cfOptions = cfOptions;
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Family f : Family.values()) {
            descriptors.add(new ColumnFamilyDescriptor(f.cfNameBytes(), cfOptions));
        }
        try {
            this.db = readOnly
                    ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles)
                    : RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            cfOptions.close();
            dbOptions.close();
            throw new StorageException("cannot open graph store " + dir + ": " + e.getMessage(), e);
        }
        for (Family f : Family.values()) {
            families.put(f, handles.get(f.ordinal() + 1));
        }
    }

    /** Creates an empty store in {@code dir}, which must not hold one already. */
    static RocksStore create(Path dir, Supplier<ColumnFamilyOptions> options) {
        if (exists(dir)) {
            throw new StorageException("a graph store already exists in " + dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        RocksStore store = new RocksStore(dir, true, false, options.get());
        store.put(
                Family.META,
                Keys.meta(FORMAT_KEY),
                ValueCodecs.encodeJson("{\"format_version\":" + FORMAT_VERSION + "}"));
        return store;
    }

    /** Opens the store in {@code dir}, refusing one written by a newer Tessera. */
    static RocksStore open(Path dir, boolean readOnly, Supplier<ColumnFamilyOptions> options) {
        if (!Files.isDirectory(dir) || !exists(dir)) {
            throw new StorageException(dir + " is not a graph directory (no RocksDB store in it)");
        }
        RocksStore store = new RocksStore(dir, false, readOnly, options.get());
        try {
            String json = ValueCodecs.decodeJson("meta/" + FORMAT_KEY, store.get(Family.META, Keys.meta(FORMAT_KEY)));
            int version = ((Number) Json.parseObject(json).get("format_version")).intValue();
            if (version > FORMAT_VERSION) {
                throw new StorageException("graph store " + dir + " has format version " + version
                        + ", newer than this Tessera reads (" + FORMAT_VERSION + "); upgrade Tessera");
            }
            store.formatVersion = version;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** Whether {@code dir} holds a store. */
    static boolean exists(Path dir) {
        return Files.exists(dir.resolve("CURRENT"));
    }

    Path dir() {
        return dir;
    }

    /** The format version the store was written in. */
    int formatVersion() {
        return formatVersion;
    }

    byte[] get(Family family, byte[] key) {
        try {
            return db.get(families.get(family), key);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read " + family.cfName() + " from " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a value into {@code buffer} without allocating; returns its full length (the buffer holds only
     * its first {@code buffer.length} bytes when it is longer) or -1 when the key is absent.
     */
    int getInto(Family family, byte[] key, byte[] buffer) {
        // Values read this way are whole blocks read once (a partition loading): caching them would only
        // keep a copy of rows the caller now holds.
        try (ReadOptions once = new ReadOptions().setFillCache(false)) {
            return db.get(families.get(family), once, key, buffer);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read " + family.cfName() + " from " + dir + ": " + e.getMessage(), e);
        }
    }

    void put(Family family, byte[] key, byte[] value) {
        try (WriteOptions wo = new WriteOptions()) {
            db.put(families.get(family), wo, key, value);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write " + family.cfName() + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Puts a value and waits until the write-ahead log holding it, and every write before it, is on disk
     * (one fsync of the log): after it returns, a crash of the machine loses none of these writes.
     */
    void putDurably(Family family, byte[] key, byte[] value) {
        try (WriteOptions wo = new WriteOptions().setSync(true)) {
            db.put(families.get(family), wo, key, value);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write " + family.cfName() + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Puts many values into one family in one atomic batch. */
    void putAll(Family family, List<byte[]> keys, List<byte[]> values) {
        write(family.cfName(), batch -> {
            for (int i = 0; i < keys.size(); i++) {
                batch.put(family, keys.get(i), values.get(i));
            }
        });
    }

    /** One atomic batch of puts, across families. */
    interface Batch {
        void put(Family family, byte[] key, byte[] value);
    }

    /** Writes what {@code fill} puts in one atomic batch; {@code what} names it in an error. */
    void write(String what, Consumer<Batch> fill) {
        try (WriteBatch batch = new WriteBatch();
                WriteOptions wo = new WriteOptions()) {
            fill.accept((family, key, value) -> {
                try {
                    batch.put(families.get(family), key, value);
                } catch (RocksDBException e) {
                    throw new StorageException("cannot batch " + what + " for " + dir + ": " + e.getMessage(), e);
                }
            });
            db.write(wo, batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write " + what + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Ingests SST files (moved, not copied) into one family. Files must not overlap each other's key ranges. */
    void ingest(Family family, List<Path> files) {
        if (files.isEmpty()) {
            return;
        }
        List<String> paths = files.stream().map(Path::toString).toList();
        try (IngestExternalFileOptions o = new IngestExternalFileOptions()) {
            o.setMoveFiles(true);
            db.ingestExternalFile(families.get(family), paths, o);
        } catch (RocksDBException e) {
            throw new StorageException(
                    "cannot ingest " + files.size() + " SST files into " + family.cfName() + " of " + dir + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Deletes the keys in {@code [from, to)} of one family. */
    void deleteRange(Family family, byte[] from, byte[] to) {
        try {
            db.deleteRange(families.get(family), from, to);
        } catch (RocksDBException e) {
            throw new StorageException(
                    "cannot delete from " + family.cfName() + " of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** An iterator over one family, to close with {@code options} (the caller's try-with-resources). */
    RocksIterator iterator(Family family, ReadOptions options) {
        return db.newIterator(families.get(family), options);
    }

    /** Compacts every family, so a freshly ingested store reads fast and its files are final. */
    void compact() {
        try {
            for (ColumnFamilyHandle h : handles) {
                db.compactRange(h);
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot compact " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Flushes memtables to disk, so the directory is complete before it is renamed into place. */
    void flush() {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, handles);
        } catch (RocksDBException e) {
            throw new StorageException("cannot flush " + dir + ": " + e.getMessage(), e);
        }
    }

    RocksDB db() {
        return db;
    }

    ColumnFamilyHandle family(Family f) {
        return families.get(f);
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        cfOptions.close();
        dbOptions.close();
    }
}
