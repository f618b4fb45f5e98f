package dev.tessera.partitioner;

import dev.tessera.storage.GraphStore;
import dev.tessera.storage.StorageException;
import java.nio.file.Path;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;

/**
 * Writes one SST file for later ingestion into a graph store. Keys must arrive in strictly increasing
 * bytewise order. The file is created on the first key, so a writer that gets none leaves nothing behind.
 */
public final class SortedSstWriter implements AutoCloseable {
    static {
        org.rocksdb.RocksDB.loadLibrary();
    }

    private final Path file;
    private EnvOptions envOptions;
    private Options options;
    private SstFileWriter writer;
    private long entries;

    public SortedSstWriter(Path file) {
        this.file = file;
    }

    public void put(byte[] key, byte[] value) {
        try {
            if (writer == null) {
                envOptions = new EnvOptions();
                options = GraphStore.newSstOptions();
                writer = new SstFileWriter(envOptions, options);
                writer.open(file.toString());
            }
            writer.put(key, value);
            entries++;
        } catch (RocksDBException e) {
            throw new StorageException("cannot write SST file " + file + ": " + e.getMessage(), e);
        }
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
