package dev.tessera.partitioner;

import java.io.Serializable;

/**
 * Entity key → (type, partition, offset, has training edges), in open-addressing primitive arrays: the
 * dictionary every import task consults to turn an edge's names into bucket coordinates. About 25 bytes an
 * entity, so a few million entities broadcast cheaply; larger dictionaries are joined instead.
 */
public final class EntityIndex implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] k1;
    private final int[] k2;
    private final int[] typePart;
    private final int[] offset;
    private final boolean[] used;
    private final boolean[] trained;
    private int size;

    public EntityIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        k1 = new long[cap];
        k2 = new int[cap];
        typePart = new int[cap];
        offset = new int[cap];
        used = new boolean[cap];
        trained = new boolean[cap];
    }

    public void put(long key1, int key2, int type, int part, int off, boolean hasTrainingEdges) {
        if (2L * (size + 1) > used.length) {
            throw new IllegalStateException("entity index sized for " + used.length / 2 + " entities is full");
        }
        int i = slot(key1, key2);
        if (!used[i]) {
            size++;
        }
        used[i] = true;
        k1[i] = key1;
        k2[i] = key2;
        typePart[i] = type << 16 | part;
        offset[i] = off;
        trained[i] = hasTrainingEdges;
    }

    /** The slot of a key, or -1 when the entity is not in the index. */
    public int find(long key1, int key2) {
        int i = slot(key1, key2);
        return used[i] ? i : -1;
    }

    private int slot(long key1, int key2) {
        int mask = used.length - 1;
        long h = key1 * 0x9E3779B97F4A7C15L ^ key2;
        int i = (int) (h ^ (h >>> 29)) & mask;
        while (used[i] && (k1[i] != key1 || k2[i] != key2)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    public int type(int slot) {
        return typePart[slot] >>> 16;
    }

    public int part(int slot) {
        return typePart[slot] & 0xffff;
    }

    public int offset(int slot) {
        return offset[slot];
    }

    public boolean trained(int slot) {
        return trained[slot];
    }

    public int size() {
        return size;
    }
}
