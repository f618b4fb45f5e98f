package dev.tessera.partitioner;

import java.io.Serializable;

/**
 * A rejected input row: where it is (split, input chunk, 0-based index in the chunk) and why.
 * (A class, not a record: Spark's Kryo cannot serialize records.)
 */
public final class BadRow implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int split;
    private final int chunk;
    private final long index;
    private final BadRowReason reason;
    private final String detail;

    public BadRow(int split, int chunk, long index, BadRowReason reason, String detail) {
        this.split = split;
        this.chunk = chunk;
        this.index = index;
        this.reason = reason;
        this.detail = detail;
    }

    public int split() {
        return split;
    }

    public int chunk() {
        return chunk;
    }

    public long index() {
        return index;
    }

    public BadRowReason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }
}
