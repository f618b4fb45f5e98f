package dev.tessera.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A columnar block of edges of one bucket: relation ids, lhs and rhs offsets inside their partitions, and
 * optional weights. Columns, not rows, so a trainer copies each into its arrays in one pass.
 */
public record EdgeBlock(int[] rel, int[] lhs, int[] rhs, float[] weights) {
    /** Edges per stored block: a few thousand, so a block is tens of KB and a bucket streams in pieces. */
    public static final int DEFAULT_SIZE = 4096;

    public EdgeBlock {
        if (rel.length != lhs.length || lhs.length != rhs.length || weights != null && weights.length != rel.length) {
            throw new IllegalArgumentException("edge block columns differ in length");
        }
    }

    public int size() {
        return rel.length;
    }

    public boolean hasWeights() {
        return weights != null;
    }

    public byte[] encode() {
        int n = size();
        ByteBuffer b = Frames.open(ValueKind.EDGE_BLOCK, 5 + n * (hasWeights() ? 16 : 12));
        b.putInt(n).put((byte) (hasWeights() ? 1 : 0));
        for (int v : rel) {
            b.putInt(v);
        }
        for (int v : lhs) {
            b.putInt(v);
        }
        for (int v : rhs) {
            b.putInt(v);
        }
        if (hasWeights()) {
            for (float w : weights) {
                b.putFloat(w);
            }
        }
        return Frames.seal(b);
    }

    static EdgeBlock decode(String key, byte[] value) {
        // Into empty columns, which grow to exactly the block's size.
        EdgeColumns c = new EdgeColumns();
        decodeInto(key, value, value == null ? 0 : value.length, c);
        return new EdgeBlock(c.rel, c.lhs, c.rhs, c.weight);
    }

    /** Decodes the block in the first {@code length} bytes of {@code value}, appending it to {@code out}. */
    static void decodeInto(String key, byte[] value, int length, EdgeColumns out) {
        ByteBuffer b = Frames.decode(key, value, length, ValueKind.EDGE_BLOCK);
        if (b.remaining() < 5) {
            throw new CorruptBlockException(key, "edge block header truncated");
        }
        int n = b.getInt();
        boolean weighted = b.get() != 0;
        long expected = (long) n * (weighted ? 16 : 12);
        if (n < 0 || b.remaining() != expected) {
            throw new CorruptBlockException(
                    key, "edge block of " + n + " edges needs " + expected + " bytes, found " + b.remaining());
        }
        int at = out.append(n, weighted);
        b.asIntBuffer().get(out.rel, at, n);
        b.position(b.position() + 4 * n);
        b.asIntBuffer().get(out.lhs, at, n);
        b.position(b.position() + 4 * n);
        b.asIntBuffer().get(out.rhs, at, n);
        b.position(b.position() + 4 * n);
        if (weighted) {
            b.asFloatBuffer().get(out.weight, at, n);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdgeBlock e
                && Arrays.equals(rel, e.rel)
                && Arrays.equals(lhs, e.lhs)
                && Arrays.equals(rhs, e.rhs)
                && Arrays.equals(weights, e.weights);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rel) * 31 + Arrays.hashCode(lhs) * 17 + Arrays.hashCode(rhs);
    }

    @Override
    public String toString() {
        return "EdgeBlock[" + size() + " edges" + (hasWeights() ? ", weighted" : "") + "]";
    }
}
