package dev.tessera.storage;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** A forward scan over the edge blocks of one bucket; owns its native iterator, so close it. */
public final class EdgeBlockCursor implements Iterator<EdgeBlock>, AutoCloseable {
    private final ReadOptions readOptions;
    private final RocksIterator it;
    private final byte[] prefix;
    /** Values are read into this (grown on demand) by {@link #readInto}, not into a new array per block. */
    private byte[] value = new byte[0];

    EdgeBlockCursor(RocksDB db, ColumnFamilyHandle edges, byte[] prefix) {
        this.prefix = prefix;
        this.readOptions = new ReadOptions().setFillCache(false);
        this.it = db.newIterator(edges, readOptions);
        it.seek(prefix);
    }

    @Override
    public boolean hasNext() {
        if (!it.isValid()) {
            try {
                it.status();
            } catch (org.rocksdb.RocksDBException e) {
                throw new StorageException("edge scan failed: " + e.getMessage(), e);
            }
            return false;
        }
        return Keys.hasPrefix(it.key(), prefix);
    }

    @Override
    public EdgeBlock next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        byte[] key = it.key();
        EdgeBlock block = EdgeBlock.decode(Keys.describeEdge(key), it.value());
        it.next();
        return block;
    }

    /** Decodes every remaining block of the scan into {@code out}, appending, with no allocation per block. */
    public void readInto(EdgeColumns out) {
        while (hasNext()) {
            byte[] key = it.key();
            int length = it.value(value);
            if (length > value.length) {
                value = new byte[length];
                it.value(value);
            }
            EdgeBlock.decodeInto(Keys.describeEdge(key), value, length, out);
            it.next();
        }
    }

    @Override
    public void close() {
        it.close();
        readOptions.close();
    }
}
