package dev.tessera.partitioner;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The distinct entities one chunk of input mentions, keyed by their 96-bit {@link EntityKey}: where each
 * first appears (a packed position whose low bits are its type), its name there, and its out- and
 * in-degree among the chunk's training edges. An open-addressing table over primitive arrays, so a chunk
 * of millions of endpoints aggregates without an object per endpoint.
 */
public final class EndpointTable implements Serializable {
    private static final long serialVersionUID = 1L;
    private long[] k1 = new long[1024];
    private int[] k2 = new int[1024];
    private long[] first = new long[1024];
    private int[] out = new int[1024];
    private int[] in = new int[1024];
    private String[] names = new String[1024];
    private boolean[] used = new boolean[1024];
    private int size;

    /** Counts one endpoint: {@code position} orders appearances; {@code outEdge}/{@code inEdge} add degree. */
    public void add(long key1, int key2, long position, String name, int outEdge, int inEdge) {
        if (2 * (size + 1) > used.length) {
            grow();
        }
        int mask = used.length - 1;
        int i = (int) (key1 ^ (key1 >>> 32) ^ key2) & mask;
        while (used[i] && (k1[i] != key1 || k2[i] != key2)) {
            i = (i + 1) & mask;
        }
        if (!used[i]) {
            used[i] = true;
            k1[i] = key1;
            k2[i] = key2;
            first[i] = position;
            names[i] = name;
            size++;
        } else if (position < first[i]) {
            first[i] = position;
            names[i] = name;
        }
        out[i] += outEdge;
        in[i] += inEdge;
    }

    private void grow() {
        long[] ok1 = k1;
        int[] ok2 = k2;
        long[] ofirst = first;
        int[] oout = out;
        int[] oin = in;
        String[] onames = names;
        boolean[] oused = used;
        int cap = used.length * 2;
        k1 = new long[cap];
        k2 = new int[cap];
        first = new long[cap];
        out = new int[cap];
        in = new int[cap];
        names = new String[cap];
        used = new boolean[cap];
        int mask = cap - 1;
        for (int j = 0; j < oused.length; j++) {
            if (oused[j]) {
                int i = (int) (ok1[j] ^ (ok1[j] >>> 32) ^ ok2[j]) & mask;
                while (used[i]) {
                    i = (i + 1) & mask;
                }
                used[i] = true;
                k1[i] = ok1[j];
                k2[i] = ok2[j];
                first[i] = ofirst[j];
                out[i] = oout[j];
                in[i] = oin[j];
                names[i] = onames[j];
            }
        }
    }

    public int size() {
        return size;
    }

    /** The table's entries as records, for merging across chunks. */
    public java.util.Iterator<EntityRecord> records() {
        return Arrays.stream(indices()).mapToObj(i -> new EntityRecord(k1[i], k2[i], first[i], out[i], in[i],
                names[i])).iterator();
    }

    private int[] indices() {
        int[] idx = new int[size];
        int n = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                idx[n++] = i;
            }
        }
        return idx;
    }
}
