package dev.tessera.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ObjIntConsumer;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;

/**
 * One graph directory: a {@link RocksStore} holding the entity dictionary, the edges in their buckets, the
 * degrees, features and the graph's metadata (see {@link Family}). Safe for concurrent readers. Callers say
 * what they read and write (entities, edge blocks, degrees, files to ingest by kind); the families, keys and
 * value encodings never leave this package, so the bytes on disk have one owner.
 */
public final class GraphStore implements AutoCloseable {
    /** Version of the layout as a whole (families and key formats); each value kind has its own too. */
    public static final int FORMAT_VERSION = RocksStore.FORMAT_VERSION;

    static final String GRAPH_KEY = "graph";

    private final RocksStore db;

    private GraphStore(RocksStore db) {
        this.db = db;
    }

    /** The column family options every family and every SST file share (SSTs must match to be ingested). */
    static ColumnFamilyOptions newColumnFamilyOptions() {
        return new ColumnFamilyOptions().setCompressionType(CompressionType.LZ4_COMPRESSION);
    }

    /** Creates an empty graph store in {@code dir}, which must not hold one already. */
    public static GraphStore create(Path dir) {
        return new GraphStore(RocksStore.create(dir, GraphStore::newColumnFamilyOptions));
    }

    public static GraphStore open(Path dir) {
        return new GraphStore(RocksStore.open(dir, false, GraphStore::newColumnFamilyOptions));
    }

    public static GraphStore openReadOnly(Path dir) {
        return new GraphStore(RocksStore.open(dir, true, GraphStore::newColumnFamilyOptions));
    }

    public Path dir() {
        return db.dir();
    }

    /** The store underneath, for the storage classes that keep their own kind of data in it. */
    RocksStore rocks() {
        return db;
    }

    public GraphMeta meta() {
        byte[] v = get(Family.META, Keys.meta(GRAPH_KEY));
        if (v == null) {
            throw new StorageException("graph store " + dir() + " has no graph metadata (import did not finish)");
        }
        return GraphMeta.fromJson(ValueCodecs.decodeJson("meta/" + GRAPH_KEY, v), dir().toString());
    }

    public void writeMeta(GraphMeta meta) {
        put(Family.META, Keys.meta(GRAPH_KEY), ValueCodecs.encodeJson(meta.toJson()));
    }

    public Optional<EntityRef> entity(String name) {
        byte[] v = get(Family.ENTITIES, entityKey(name));
        return v == null ? Optional.empty() : Optional.of(EntityRef.decode("entities/" + name, v));
    }

    public String entityName(int type, int part, int offset) {
        byte[] v = get(Family.NAMES, Keys.name(type, part, offset));
        String key = "names/" + type + "/" + part + "/" + offset;
        if (v == null) {
            throw new StorageException("no entity at " + key + " in " + dir());
        }
        return ValueCodecs.decodeName(key, v);
    }

    /** The format version this store was written in ({@link #FORMAT_VERSION} for a new one). */
    public int formatVersion() {
        return db.formatVersion();
    }

    /** The key of {@code name} in the name → entity index, in this store's format. */
    private byte[] entityKey(String name) {
        return formatVersion() >= 2 ? Keys.entity(name) : Keys.entityFormat1(name);
    }

    /** Calls {@code consumer} with each name of a partition in offset order (one scan of the names family). */
    public void forEachName(int type, int part, ObjIntConsumer<String> consumer) {
        byte[] prefix = Keys.partitionPrefix(type, part);
        try (ReadOptions ro = new ReadOptions();
                RocksIterator it = db.iterator(Family.NAMES, ro)) {
            for (it.seek(prefix); it.isValid() && Keys.hasPrefix(it.key(), prefix); it.next()) {
                int offset = ByteBuffer.wrap(it.key(), 6, 4).getInt();
                consumer.accept(
                        ValueCodecs.decodeName("names/" + type + "/" + part + "/" + offset, it.value()), offset);
            }
        }
    }

    /** Writes an entity to both directions of the dictionary in one atomic batch. */
    public void putEntity(String name, EntityRef ref) {
        write("entity '" + name + "'", new GraphGrowth().addEntity(name, ref));
    }

    /** Writes one chunk of a bucket as consecutive blocks, atomically. Bulk imports use SST ingestion instead. */
    public void putEdgeBlocks(Split split, int lhsPart, int rhsPart, int chunk, List<EdgeBlock> blocks) {
        GraphGrowth growth = new GraphGrowth();
        for (int i = 0; i < blocks.size(); i++) {
            growth.putEdgeBlock(new EdgeBlockKey(split, lhsPart, rhsPart, chunk, i), blocks.get(i));
        }
        write("bucket (" + lhsPart + "," + rhsPart + ")", growth);
    }

    /** Streams the blocks of one bucket, chunk by chunk, in key order. */
    public EdgeBlockCursor edges(Split split, int lhsPart, int rhsPart) {
        return new EdgeBlockCursor(db.db(), db.family(Family.EDGES), Keys.bucketPrefix(split, lhsPart, rhsPart));
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
        try (ReadOptions ro = new ReadOptions();
                RocksIterator it = db.iterator(Family.DEGREES, ro)) {
            for (it.seek(prefix); it.isValid() && Keys.hasPrefix(it.key(), prefix) && filled < size; it.next()) {
                int first = Keys.degreesFirstOffset(it.key());
                String name = "degrees/" + type + "/" + part + "/" + first;
                if (first != filled) {
                    throw new CorruptBlockException(
                            name, "block starts at offset " + first + " but offsets up to " + filled + " are filled");
                }
                filled += ValueCodecs.decodeDegrees(name, it.value(), out, in, filled);
            }
        }
        if (filled != size) {
            throw new CorruptBlockException(
                    "degrees/" + type + "/" + part + "/" + filled, "missing; the partition has " + size + " entities");
        }
        return new int[][] {out, in};
    }

    /** The stored degree block that holds entity {@code offset} of a partition. */
    public DegreeBlock degreeBlock(int type, int part, int offset) {
        byte[] prefix = Keys.partitionPrefix(type, part);
        try (ReadOptions ro = new ReadOptions();
                RocksIterator it = db.iterator(Family.DEGREES, ro)) {
            it.seekForPrev(Keys.degrees(type, part, offset));
            if (!it.isValid() || !Keys.hasPrefix(it.key(), prefix)) {
                throw new CorruptBlockException("degrees/" + type + "/" + part + "/" + offset, "missing");
            }
            int first = Keys.degreesFirstOffset(it.key());
            int[] out = new int[ValueCodecs.DEGREE_BLOCK];
            int[] in = new int[ValueCodecs.DEGREE_BLOCK];
            int count = ValueCodecs.decodeDegrees("degrees/" + type + "/" + part + "/" + first, it.value(), out, in, 0);
            if (offset >= first + count) {
                throw new CorruptBlockException(
                        "degrees/" + type + "/" + part + "/" + offset,
                        "missing; the block " + "before it ends at " + (first + count));
            }
            return new DegreeBlock(first, Arrays.copyOf(out, count), Arrays.copyOf(in, count));
        }
    }

    /**
     * Ingests edge files written by {@link EdgeBucketSstWriter} (moved, not copied). Files must not overlap
     * each other's key ranges: different chunks of a bucket, or different buckets.
     */
    public void ingestEdges(List<Path> files) {
        db.ingest(Family.EDGES, files);
    }

    /** Ingests name → entity files written by {@link EntitySstWriter} (moved, not copied), not overlapping. */
    public void ingestEntities(List<Path> files) {
        if (formatVersion() < 2 && !files.isEmpty()) {
            throw new StorageException("graph store " + dir() + " has format version " + formatVersion()
                    + ", whose entity keys are names alone; entity files hold format-2 keys (name hash, name)");
        }
        db.ingest(Family.ENTITIES, files);
    }

    /**
     * Ingests the two kinds of file a {@link PartitionDictionaryWriter} writes (moved, not copied): its names
     * files and its degrees files, each list not overlapping within itself.
     */
    public void ingestPartitionDictionaries(List<Path> nameFiles, List<Path> degreeFiles) {
        db.ingest(Family.NAMES, nameFiles);
        db.ingest(Family.DEGREES, degreeFiles);
    }

    /** Ingests SST files (moved, not copied) into one family. Files must not overlap each other's key ranges. */
    void ingest(Family family, List<Path> files) {
        db.ingest(family, files);
    }

    byte[] get(Family family, byte[] key) {
        return db.get(family, key);
    }

    void put(Family family, byte[] key, byte[] value) {
        db.put(family, key, value);
    }

    /**
     * Writes many entities, both directions of the dictionary, in one atomic batch ({@code names.get(i)} is
     * at {@code refs.get(i)}). For generated graphs; imports use SST ingestion instead.
     */
    public void putEntities(List<String> names, List<EntityRef> refs) {
        if (names.size() != refs.size()) {
            throw new IllegalArgumentException(names.size() + " names but " + refs.size() + " entity references");
        }
        GraphGrowth entities = new GraphGrowth();
        for (int i = 0; i < names.size(); i++) {
            entities.addEntity(names.get(i), refs.get(i));
        }
        write(names.size() + " entities", entities);
    }

    /**
     * Writes the degrees of a whole partition ({@code out[i]}, {@code in[i]} of entity {@code i}) in one atomic
     * batch, as the blocks {@link #degrees} reads. For generated graphs; imports use SST ingestion instead.
     */
    public void putDegrees(int type, int part, int[] out, int[] in) {
        GraphGrowth degrees = new GraphGrowth().putDegrees(type, part, 0, out, in);
        write("degrees of partition (" + type + "," + part + ")", degrees);
    }

    /**
     * Writes {@code growth} and the new metadata in one atomic batch: a change spanning the dictionary, edges
     * and counts lands whole or not at all.
     */
    public void grow(GraphGrowth growth, GraphMeta meta) {
        db.write("the graph's growth", batch -> {
            put(batch, growth);
            batch.put(Family.META, Keys.meta(GRAPH_KEY), ValueCodecs.encodeJson(meta.toJson()));
        });
    }

    /** Writes {@code growth} in one atomic batch; {@code what} names it in an error. */
    private void write(String what, GraphGrowth growth) {
        db.write(what, batch -> put(batch, growth));
    }

    private void put(RocksStore.Batch batch, GraphGrowth growth) {
        for (int i = 0; i < growth.keys.size(); i++) {
            batch.put(growth.families.get(i), growth.keys.get(i), growth.values.get(i));
        }
        for (int i = 0; i < growth.entityNames.size(); i++) {
            batch.put(
                    Family.ENTITIES,
                    entityKey(growth.entityNames.get(i)),
                    growth.entityRefs.get(i).encode());
        }
    }

    /** The highest chunk number stored in a bucket, or -1 when the bucket is empty. */
    public int lastChunk(Split split, int lhsPart, int rhsPart) {
        byte[] prefix = Keys.bucketPrefix(split, lhsPart, rhsPart);
        byte[] last = Keys.edge(split, lhsPart, rhsPart, -1, -1);
        try (ReadOptions ro = new ReadOptions();
                RocksIterator it = db.iterator(Family.EDGES, ro)) {
            it.seekForPrev(last);
            return it.isValid() && Keys.hasPrefix(it.key(), prefix)
                    ? ByteBuffer.wrap(it.key(), prefix.length, 4).getInt()
                    : -1;
        }
    }

    /** Deletes the keys in {@code [from, to)} of one family. */
    void deleteRange(Family family, byte[] from, byte[] to) {
        db.deleteRange(family, from, to);
    }

    /** Compacts every family, so a freshly ingested store reads fast and its files are final. */
    public void compact() {
        db.compact();
    }

    /** Flushes memtables to disk, so the directory is complete before it is renamed into place. */
    public void flush() {
        db.flush();
    }

    @Override
    public void close() {
        db.close();
    }
}
