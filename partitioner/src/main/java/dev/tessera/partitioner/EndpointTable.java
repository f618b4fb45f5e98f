package dev.tessera.partitioner;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The distinct entities one chunk of input mentions, keyed by their 96-bit {@link EntityKey}: where each
 * first appears (a packed position whose low bits are its type), its name there, and its out- and
 * in-degree among the chunk's training edges. Open addressing over one {@code long[]} with four longs a
 * slot ({@code k1}; {@code used | k2}; first position; {@code out | in}), so an endpoint usually costs one
 * cache miss and no object; names sit in a parallel array touched only on insert.
 */
public final class EndpointTable implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long USED = 1L << 63;
    private long[] table = new long[4 * 4096];
    private String[] names = new String[4096];
    private int size;

    /** Counts one endpoint: {@code position} orders appearances; {@code outEdge}/{@code inEdge} add degree. */
    public void add(long key1, int key2, long position, String name, int outEdge, int inEdge) {
        if (2 * (size + 1) > names.length) {
            grow();
        }
        int mask = names.length - 1;
        int i = hash(key1, key2) & mask;
        long tag = USED | (key2 & 0xffffffffL);
        while (true) {
            int at = 4 * i;
            long t = table[at + 1];
            if (t == 0) {
                table[at] = key1;
                table[at + 1] = tag;
                table[at + 2] = position;
                names[i] = name;
                size++;
                break;
            }
            if (t == tag && table[at] == key1) {
                if (position < table[at + 2]) {
                    table[at + 2] = position;
                    names[i] = name;
                }
                break;
            }
            i = (i + 1) & mask;
        }
        table[4 * i + 3] += (long) outEdge << 32 | inEdge;
    }

    private static int hash(long key1, int key2) {
        long h = key1 * 0x9E3779B97F4A7C15L ^ key2;
        return (int) (h ^ (h >>> 29));
    }

    private void grow() {
        long[] oldTable = table;
        String[] oldNames = names;
        int cap = names.length * 2;
        table = new long[4 * cap];
        names = new String[cap];
        int mask = cap - 1;
        for (int j = 0; j < oldNames.length; j++) {
            int from = 4 * j;
            if (oldTable[from + 1] != 0) {
                int i = hash(oldTable[from], (int) oldTable[from + 1]) & mask;
                while (table[4 * i + 1] != 0) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(oldTable, from, table, 4 * i, 4);
                names[i] = oldNames[j];
            }
        }
    }

    public int size() {
        return size;
    }

    /** The table's entries as records, for merging across chunks. */
    public Iterator<EntityRecord> records() {
        return new Iterator<>() {
            int i = next(0);

            private int next(int from) {
                int j = from;
                while (j < names.length && table[4 * j + 1] == 0) {
                    j++;
                }
                return j;
            }

            @Override
            public boolean hasNext() {
                return i < names.length;
            }

            @Override
            public EntityRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int at = 4 * i;
                long degrees = table[at + 3];
                EntityRecord r = new EntityRecord(
                        table[at], (int) table[at + 1], table[at + 2], (int) (degrees >>> 32), (int) degrees, names[i]);
                i = next(i + 1);
                return r;
            }
        };
    }
}
