package dev.tessera.partitioner;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Bytes compared as RocksDB's default comparator does (unsigned, lexicographic), for sorting SST keys.
 * A plain class, not a record: Spark's Kryo cannot serialize records.
 */
public final class ByteKey implements Comparable<ByteKey>, Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    public ByteKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public byte[] bytes() {
        return bytes;
    }

    @Override
    public int compareTo(ByteKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
