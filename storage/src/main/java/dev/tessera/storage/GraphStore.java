package dev.tessera.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One graph directory: a RocksDB with a column family per kind of data (see {@link Family}). It owns every
 * native object it opens and closes them, in reverse order, in {@link #close}. Safe for concurrent readers.
 */
public final class GraphStore implements AutoCloseable {
    /** Version of the layout as a whole (families and key formats); each value kind has its own too. */
    public static final int FORMAT_VERSION = 1;
    static final String FORMAT_KEY = "format_version";
    static final String GRAPH_KEY = "graph";

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles;
    private final Map<Family, ColumnFamilyHandle> families = new EnumMap<>(Family.class);
    private final RocksDB db;

    /**
     * Memtable size of checkpoint stores. Partitions reach them as ingested SST files, so their memtables
     * hold only parameters and metadata: RocksDB's default 64 MB (two per family while one flushes) would
     * only reserve native memory. (When partitions went through memtables, 8 MB instead of the default took
     * a P=8 run on 2M nodes from 832 to 644 MB.)
     */
    static final long CHECKPOINT_WRITE_BUFFER_BYTES = 8L << 20;

    /**
     * @param checkpoint a checkpoint store: small memtables (above), and no compression, since its values
     *                   are float rows that LZ4 cannot shrink (it would only cost every compaction)
     */
    private GraphStore(Path dir, boolean create, boolean readOnly, boolean checkpoint) {
        this.dir = dir;
        this.dbOptions = new DBOptions().setCreateIfMissing(create).setCreateMissingColumnFamilies(create)
                .setMaxBackgroundJobs(2);
        this.cfOptions = newColumnFamilyOptions();
        if (checkpoint) {
            cfOptions.setWriteBufferSize(CHECKPOINT_WRITE_BUFFER_BYTES)
                    .setCompressionType(CompressionType.NO_COMPRESSION);
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Family f : Family.values()) {
            descriptors.add(new ColumnFamilyDescriptor(f.cfNameBytes(), cfOptions));
        }
        this.handles = new ArrayList<>();
        try {
            this.db = readOnly ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles)
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

    /** The column family options every family and every SST file share (SSTs must match to be ingested). */
    static ColumnFamilyOptions newColumnFamilyOptions() {
        return new ColumnFamilyOptions().setCompressionType(CompressionType.LZ4_COMPRESSION);
    }

    /** Creates an empty graph store in {@code dir}, which must not hold one already. */
    public static GraphStore create(Path dir) {
        return create(dir, false);
    }

    /** Creates an empty checkpoint store (tuned for blocks of float rows) in {@code dir}. */
    static GraphStore createCheckpointStore(Path dir) {
        return create(dir, true);
    }

    private static GraphStore create(Path dir, boolean checkpoint) {
        if (Files.exists(dir.resolve("CURRENT"))) {
            throw new StorageException("a graph store already exists in " + dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new StorageException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        GraphStore store = new GraphStore(dir, true, false, checkpoint);
        store.put(Family.META, Keys.meta(FORMAT_KEY), ValueCodecs.encodeJson("{\"format_version\":"
                + FORMAT_VERSION + "}"));
        return store;
    }

    public static GraphStore open(Path dir) {
        return checked(dir, false, false);
    }

    /** Opens an existing checkpoint store (tuned for blocks of float rows). */
    static GraphStore openCheckpointStore(Path dir) {
        return checked(dir, false, true);
    }

    public static GraphStore openReadOnly(Path dir) {
        return checked(dir, true, false);
    }

    private static GraphStore checked(Path dir, boolean readOnly, boolean checkpoint) {
        if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("CURRENT"))) {
            throw new StorageException(dir + " is not a graph directory (no RocksDB store in it)");
        }
        GraphStore store = new GraphStore(dir, false, readOnly, checkpoint);
        try {
            String key = "meta/" + FORMAT_KEY;
            String json = ValueCodecs.decodeJson(key, store.get(Family.META, Keys.meta(FORMAT_KEY)));
            int version = ((Number) dev.tessera.core.util.Json.parseObject(json).get("format_version")).intValue();
            if (version > FORMAT_VERSION) {
                throw new StorageException("graph store " + dir + " has format version " + version
                        + ", newer than this Tessera reads (" + FORMAT_VERSION + "); upgrade Tessera");
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    public Path dir() {
        return dir;
    }

    public GraphMeta meta() {
        byte[] v = get(Family.META, Keys.meta(GRAPH_KEY));
        if (v == null) {
            throw new StorageException("graph store " + dir + " has no graph metadata (import did not finish)");
        }
        return GraphMeta.fromJson(ValueCodecs.decodeJson("meta/" + GRAPH_KEY, v), dir.toString());
    }

    public void writeMeta(GraphMeta meta) {
        put(Family.META, Keys.meta(GRAPH_KEY), ValueCodecs.encodeJson(meta.toJson()));
    }

    public Optional<EntityRef> entity(String name) {
        byte[] v = get(Family.ENTITIES, Keys.entity(name));
        return v == null ? Optional.empty() : Optional.of(EntityRef.decode("entities/" + name, v));
    }

    public String entityName(int type, int part, int offset) {
        byte[] v = get(Family.NAMES, Keys.name(type, part, offset));
        String key = "names/" + type + "/" + part + "/" + offset;
        if (v == null) {
            throw new StorageException("no entity at " + key + " in " + dir);
        }
        return ValueCodecs.decodeName(key, v);
    }

    /** Calls {@code consumer} with each name of a partition in offset order (one scan of the names family). */
    public void forEachName(int type, int part, java.util.function.ObjIntConsumer<String> consumer) {
        byte[] prefix = Keys.partitionPrefix(type, part);
        try (org.rocksdb.ReadOptions ro = new org.rocksdb.ReadOptions();
             org.rocksdb.RocksIterator it = db.newIterator(families.get(Family.NAMES), ro)) {
            for (it.seek(prefix); it.isValid() && Keys.hasPrefix(it.key(), prefix); it.next()) {
                int offset = java.nio.ByteBuffer.wrap(it.key(), 6, 4).getInt();
                consumer.accept(ValueCodecs.decodeName("names/" + type + "/" + part + "/" + offset, it.value()), offset);
            }
        }
    }

    /** Writes an entity to both directions of the dictionary in one atomic batch. */
    public void putEntity(String name, EntityRef ref) {
        try (WriteBatch batch = new WriteBatch(); WriteOptions wo = new WriteOptions()) {
            batch.put(families.get(Family.ENTITIES), Keys.entity(name), ref.encode());
            batch.put(families.get(Family.NAMES), Keys.name(ref.type(), ref.part(), ref.offset()),
                    ValueCodecs.encodeName(name));
            db.write(wo, batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write entity '" + name + "' to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes one chunk of a bucket as consecutive blocks, atomically. Bulk imports use SST ingestion instead. */
    public void putEdgeBlocks(Split split, int lhsPart, int rhsPart, int chunk, List<EdgeBlock> blocks) {
        try (WriteBatch batch = new WriteBatch(); WriteOptions wo = new WriteOptions()) {
            for (int i = 0; i < blocks.size(); i++) {
                batch.put(families.get(Family.EDGES), Keys.edge(split, lhsPart, rhsPart, chunk, i),
                        blocks.get(i).encode());
            }
            db.write(wo, batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write bucket (" + lhsPart + "," + rhsPart + ") to " + dir, e);
        }
    }

    /** Streams the blocks of one bucket, chunk by chunk, in key order. */
    public EdgeBlockCursor edges(Split split, int lhsPart, int rhsPart) {
        return new EdgeBlockCursor(db, families.get(Family.EDGES), Keys.bucketPrefix(split, lhsPart, rhsPart));
    }

    /**
     * Out- and in-degrees (training edges) of a partition's entities: {@code [0]} out, {@code [1]} in. Blocks
     * are keyed by their first offset and must tile {@code [0, size)} exactly; a gap or overlap is corruption.
     */
    public int[][] degrees(int type, int part, int size) {
        int[] out = new int[size];
        int[] in = new int[size];
        byte[] prefix = Keys.partitionPrefix(type, part);
        int filled = 0;
        try (org.rocksdb.ReadOptions ro = new org.rocksdb.ReadOptions();
             org.rocksdb.RocksIterator it = db.newIterator(families.get(Family.DEGREES), ro)) {
            for (it.seek(prefix); it.isValid() && Keys.hasPrefix(it.key(), prefix) && filled < size; it.next()) {
                int first = Keys.degreesFirstOffset(it.key());
                String name = "degrees/" + type + "/" + part + "/" + first;
                if (first != filled) {
                    throw new CorruptBlockException(name, "block starts at offset " + first + " but offsets up to "
                            + filled + " are filled");
                }
                filled += ValueCodecs.decodeDegrees(name, it.value(), out, in, filled);
            }
        }
        if (filled != size) {
            throw new CorruptBlockException("degrees/" + type + "/" + part + "/" + filled, "missing; the partition has "
                    + size + " entities");
        }
        return new int[][] {out, in};
    }

    /** The stored degree block that holds entity {@code offset} of a partition. */
    public DegreeBlock degreeBlock(int type, int part, int offset) {
        byte[] prefix = Keys.partitionPrefix(type, part);
        try (org.rocksdb.ReadOptions ro = new org.rocksdb.ReadOptions();
             org.rocksdb.RocksIterator it = db.newIterator(families.get(Family.DEGREES), ro)) {
            it.seekForPrev(Keys.degrees(type, part, offset));
            if (!it.isValid() || !Keys.hasPrefix(it.key(), prefix)) {
                throw new CorruptBlockException("degrees/" + type + "/" + part + "/" + offset, "missing");
            }
            int first = Keys.degreesFirstOffset(it.key());
            int[] out = new int[ValueCodecs.DEGREE_BLOCK];
            int[] in = new int[ValueCodecs.DEGREE_BLOCK];
            int count = ValueCodecs.decodeDegrees("degrees/" + type + "/" + part + "/" + first, it.value(), out, in, 0);
            if (offset >= first + count) {
                throw new CorruptBlockException("degrees/" + type + "/" + part + "/" + offset, "missing; the block "
                        + "before it ends at " + (first + count));
            }
            return new DegreeBlock(first, java.util.Arrays.copyOf(out, count), java.util.Arrays.copyOf(in, count));
        }
    }

    /** Ingests SST files (moved, not copied) into one family. Files must not overlap each other's key ranges. */
    public void ingest(Family family, List<Path> files) {
        if (files.isEmpty()) {
            return;
        }
        List<String> paths = files.stream().map(Path::toString).toList();
        try (IngestExternalFileOptions o = new IngestExternalFileOptions()) {
            o.setMoveFiles(true);
            db.ingestExternalFile(families.get(family), paths, o);
        } catch (RocksDBException e) {
            throw new StorageException("cannot ingest " + files.size() + " SST files into " + family.cfName()
                    + " of " + dir + ": " + e.getMessage(), e);
        }
    }

    public byte[] get(Family family, byte[] key) {
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
    public int getInto(Family family, byte[] key, byte[] buffer) {
        // Values read this way are whole blocks read once (a partition loading): caching them would only
        // keep a copy of rows the caller now holds.
        try (org.rocksdb.ReadOptions once = new org.rocksdb.ReadOptions().setFillCache(false)) {
            return db.get(families.get(family), once, key, buffer);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read " + family.cfName() + " from " + dir + ": " + e.getMessage(), e);
        }
    }

    public void put(Family family, byte[] key, byte[] value) {
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
    public void putDurably(Family family, byte[] key, byte[] value) {
        try (WriteOptions wo = new WriteOptions().setSync(true)) {
            db.put(families.get(family), wo, key, value);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write " + family.cfName() + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Puts many values into one family in one atomic batch. */
    public void putAll(Family family, List<byte[]> keys, List<byte[]> values) {
        try (WriteBatch batch = new WriteBatch(); WriteOptions wo = new WriteOptions()) {
            for (int i = 0; i < keys.size(); i++) {
                batch.put(families.get(family), keys.get(i), values.get(i));
            }
            db.write(wo, batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write " + family.cfName() + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Puts values into several families and the new metadata in one atomic batch: {@code families.get(i)}
     * holds {@code keys.get(i) → values.get(i)}. A change spanning the dictionary, edges and counts lands
     * whole or not at all.
     */
    public void writeWithMeta(List<Family> families, List<byte[]> keys, List<byte[]> values, GraphMeta meta) {
        try (WriteBatch batch = new WriteBatch(); WriteOptions wo = new WriteOptions()) {
            for (int i = 0; i < keys.size(); i++) {
                batch.put(this.families.get(families.get(i)), keys.get(i), values.get(i));
            }
            batch.put(this.families.get(Family.META), Keys.meta(GRAPH_KEY), ValueCodecs.encodeJson(meta.toJson()));
            db.write(wo, batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The highest chunk number stored in a bucket, or -1 when the bucket is empty. */
    public int lastChunk(Split split, int lhsPart, int rhsPart) {
        byte[] prefix = Keys.bucketPrefix(split, lhsPart, rhsPart);
        byte[] last = Keys.edge(split, lhsPart, rhsPart, -1, -1);
        try (org.rocksdb.ReadOptions ro = new org.rocksdb.ReadOptions();
             org.rocksdb.RocksIterator it = db.newIterator(families.get(Family.EDGES), ro)) {
            it.seekForPrev(last);
            return it.isValid() && Keys.hasPrefix(it.key(), prefix)
                    ? java.nio.ByteBuffer.wrap(it.key(), prefix.length, 4).getInt() : -1;
        }
    }

    /** Deletes the keys in {@code [from, to)} of one family. */
    public void deleteRange(Family family, byte[] from, byte[] to) {
        try {
            db.deleteRange(families.get(family), from, to);
        } catch (RocksDBException e) {
            throw new StorageException("cannot delete from " + family.cfName() + " of " + dir + ": " + e.getMessage(),
                    e);
        }
    }

    /** Compacts every family, so a freshly ingested store reads fast and its files are final. */
    public void compact() {
        try {
            for (ColumnFamilyHandle h : handles) {
                db.compactRange(h);
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot compact " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Flushes memtables to disk, so the directory is complete before it is renamed into place. */
    public void flush() {
        try (org.rocksdb.FlushOptions fo = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
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
