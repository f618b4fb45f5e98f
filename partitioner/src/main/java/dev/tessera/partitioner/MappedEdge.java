package dev.tessera.partitioner;

import java.io.Serializable;

/**
 * An edge resolved against the dictionary: its bucket, relation and offsets, ready to be written. When an
 * end's stored type differs from the type its relation asks for, {@code wrongSide} says which end (0 src,
 * 1 dst; -1 when both fit) and the edge is reported instead of written, with the wrong end's key and type.
 * (A class, not a record: Spark's Kryo cannot serialize records.)
 */
public final class MappedEdge implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int split;
    private final int lhsPart;
    private final int rhsPart;
    private final int rel;
    private final int lhsOffset;
    private final int rhsOffset;
    private final float weight;
    private final boolean unseen;
    private final int wrongSide;
    private final int chunk;
    private final int line;
    private final long wrongK1;
    private final int wrongK2;
    private final int wrongActualType;

    private MappedEdge(
            int split,
            int lhsPart,
            int rhsPart,
            int rel,
            int lhsOffset,
            int rhsOffset,
            float weight,
            boolean unseen,
            int wrongSide,
            int chunk,
            int line,
            long wrongK1,
            int wrongK2,
            int wrongActualType) {
        this.split = split;
        this.lhsPart = lhsPart;
        this.rhsPart = rhsPart;
        this.rel = rel;
        this.lhsOffset = lhsOffset;
        this.rhsOffset = rhsOffset;
        this.weight = weight;
        this.unseen = unseen;
        this.wrongSide = wrongSide;
        this.chunk = chunk;
        this.line = line;
        this.wrongK1 = wrongK1;
        this.wrongK2 = wrongK2;
        this.wrongActualType = wrongActualType;
    }

    public static MappedEdge ok(
            int split, int lhsPart, int rhsPart, int rel, int lhsOffset, int rhsOffset, float weight, boolean unseen) {
        return new MappedEdge(split, lhsPart, rhsPart, rel, lhsOffset, rhsOffset, weight, unseen, -1, 0, 0, 0, 0, 0);
    }

    /** An edge whose end on {@code side} has type {@code actualType}, not the relation's. */
    public static MappedEdge wrongType(
            int split, int rel, int side, int chunk, int line, long k1, int k2, int actualType) {
        return new MappedEdge(split, 0, 0, rel, 0, 0, 0f, false, side, chunk, line, k1, k2, actualType);
    }

    public int split() {
        return split;
    }

    public int lhsPart() {
        return lhsPart;
    }

    public int rhsPart() {
        return rhsPart;
    }

    public int rel() {
        return rel;
    }

    public int lhsOffset() {
        return lhsOffset;
    }

    public int rhsOffset() {
        return rhsOffset;
    }

    public float weight() {
        return weight;
    }

    public boolean unseen() {
        return unseen;
    }

    public boolean wrongType() {
        return wrongSide >= 0;
    }

    public int wrongSide() {
        return wrongSide;
    }

    public int chunk() {
        return chunk;
    }

    public int line() {
        return line;
    }

    public long wrongK1() {
        return wrongK1;
    }

    public int wrongK2() {
        return wrongK2;
    }

    public int wrongActualType() {
        return wrongActualType;
    }
}
