package dev.tessera.storage;

import java.nio.ByteBuffer;
import java.util.Comparator;

/**
 * Where one stored edge block sits: its split, bucket, chunk and block number. Ordered as the store orders
 * the keys (chunk and block numbers compare unsigned, as their big-endian bytes do), so callers can check the
 * order and overlap of edge files without knowing the key bytes.
 */
public record EdgeBlockKey(Split split, int lhsPart, int rhsPart, int chunk, int block)
        implements Comparable<EdgeBlockKey> {
    private static final Comparator<EdgeBlockKey> ORDER = Comparator.comparing(EdgeBlockKey::split)
            .thenComparing(EdgeBlockKey::lhsPart, Integer::compareUnsigned)
            .thenComparing(EdgeBlockKey::rhsPart, Integer::compareUnsigned)
            .thenComparing(EdgeBlockKey::chunk, Integer::compareUnsigned)
            .thenComparing(EdgeBlockKey::block, Integer::compareUnsigned);

    static EdgeBlockKey decode(byte[] key) {
        if (key.length != 17) {
            throw new StorageException(Keys.describeEdge(key));
        }
        ByteBuffer b = ByteBuffer.wrap(key);
        return new EdgeBlockKey(Split.values()[b.get()], b.getInt(), b.getInt(), b.getInt(), b.getInt());
    }

    @Override
    public int compareTo(EdgeBlockKey o) {
        return ORDER.compare(this, o);
    }

    /** As an error message names the key: {@code edges/train/bucket(0,1)/chunk 3/block 0}. */
    @Override
    public String toString() {
        return Keys.describeEdge(Keys.edge(split, lhsPart, rhsPart, chunk, block));
    }
}
