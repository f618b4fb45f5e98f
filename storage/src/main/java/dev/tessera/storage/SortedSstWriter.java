package dev.tessera.storage;

import java.nio.file.Path;
import java.util.Arrays;
import org.rocksdb.CompressionType;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;

/**
 * Writes one SST file for later ingestion into a store (through the typed writers: {@link EdgeBucketSstWriter}, {@link EntitySstWriter},
 * {@link PartitionDictionaryWriter}). Keys must arrive in
 * strictly increasing bytewise order. The file is created on the first key, so a writer that gets none
 * leaves nothing behind.
 */
final class SortedSstWriter implements AutoCloseable {
    static {
        org.rocksdb.RocksDB.loadLibrary();
    }

    private final Path file;
    private final CompressionType compression;
    private EnvOptions envOptions;
    private Options options;
    private SstFileWriter writer;
    private long entries;

    /** A file for a graph store: LZ4-compressed, as its families are. */
    public SortedSstWriter(Path file) {
        this(file, CompressionType.LZ4_COMPRESSION);
    }

    private SortedSstWriter(Path file, CompressionType compression) {
        this.file = file;
        this.compression = compression;
    }

    /** A file of float blocks for a checkpoint store: uncompressed, since LZ4 cannot shrink float rows. */
    static SortedSstWriter uncompressed(Path file) {
        return new SortedSstWriter(file, CompressionType.NO_COMPRESSION);
    }

    public void put(byte[] key, byte[] value) {
        try {
            if (writer == null) {
                envOptions = new EnvOptions();
                options = new Options().setCompressionType(compression);
                writer = new SstFileWriter(envOptions, options);
                writer.open(file.toString());
            }
            writer.put(key, value);
            entries++;
        } catch (RocksDBException e) {
            throw new StorageException("cannot write SST file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Puts the first {@code length} bytes of {@code value} (a reused buffer). */
    void put(byte[] key, byte[] value, int length) {
        put(key, length == value.length ? value : Arrays.copyOf(value, length));
    }

    public long entries() {
        return entries;
    }

    /** Completes the file; returns it, or null when no key was written. */
    public Path finish() {
        if (writer == null) {
            return null;
        }
        try {
            writer.finish();
        } catch (RocksDBException e) {
            throw new StorageException("cannot finish SST file " + file + ": " + e.getMessage(), e);
        } finally {
            close();
        }
        return file;
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
            options.close();
            envOptions.close();
            writer = null;
        }
    }
}
