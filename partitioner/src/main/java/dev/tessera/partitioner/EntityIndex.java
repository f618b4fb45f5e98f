package dev.tessera.partitioner;

import java.io.Serializable;

/**
 * Entity key → (type, partition, offset, has training edges): the dictionary every import task consults to
 * turn an edge's names into bucket coordinates. Open addressing over one {@code long[]} with three longs a
 * slot ({@code k1}; {@code k2 | type | partition}; {@code used | trained | offset}), so a lookup usually
 * costs one cache miss. 48 bytes an entity at half load: a few million entities broadcast cheaply; larger
 * dictionaries are joined instead.
 */
public final class EntityIndex implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long USED = 1L << 63;
    private static final long TRAINED = 1L << 62;
    private final long[] table;
    private final int mask;
    private int size;

    public EntityIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        table = new long[3 * cap];
        mask = cap - 1;
    }

    public void put(long key1, int key2, int type, int part, int off, boolean hasTrainingEdges) {
        if ((type | part) >>> 16 != 0) {
            throw new IllegalArgumentException("type " + type + " or partition " + part + " outside [0, 65535]");
        }
        int s = slot(key1, key2);
        int at = 3 * s;
        if ((table[at + 2] & USED) == 0) {
            if (2L * (size + 1) > mask + 1L) {
                throw new IllegalStateException("entity index sized for " + (mask + 1) / 2 + " entities is full");
            }
            size++;
        }
        table[at] = key1;
        table[at + 1] = (long) key2 << 32 | (long) type << 16 | part;
        table[at + 2] = USED | (hasTrainingEdges ? TRAINED : 0) | (off & 0xffffffffL);
    }

    /** The slot of a key, or -1 when the entity is not in the index. */
    public int find(long key1, int key2) {
        int s = slot(key1, key2);
        return (table[3 * s + 2] & USED) != 0 ? s : -1;
    }

    private int slot(long key1, int key2) {
        long h = key1 * 0x9E3779B97F4A7C15L ^ key2;
        int i = (int) (h ^ (h >>> 29)) & mask;
        while (true) {
            int at = 3 * i;
            if ((table[at + 2] & USED) == 0 || table[at] == key1 && (int) (table[at + 1] >>> 32) == key2) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    public int type(int slot) {
        return (int) (table[3 * slot + 1] >>> 16) & 0xffff;
    }

    public int part(int slot) {
        return (int) table[3 * slot + 1] & 0xffff;
    }

    public int offset(int slot) {
        return (int) table[3 * slot + 2];
    }

    public boolean trained(int slot) {
        return (table[3 * slot + 2] & TRAINED) != 0;
    }

    public int size() {
        return size;
    }
}
