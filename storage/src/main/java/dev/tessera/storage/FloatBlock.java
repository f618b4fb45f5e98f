package dev.tessera.storage;

import java.nio.ByteBuffer;

/** A framed block of floats (embedding rows, optimizer state, relation parameters): {@code count | floats}. */
public final class FloatBlock {
    private FloatBlock() {}

    public static byte[] encode(float[] values, int from, int count) {
        ByteBuffer b = Frames.open(ValueKind.FLOAT_BLOCK, 4 + 4 * count);
        b.putInt(count);
        for (int i = from; i < from + count; i++) {
            b.putFloat(values[i]);
        }
        return Frames.seal(b);
    }

    /** The frame length of a block of {@code count} floats. */
    public static int frameLength(int count) {
        return Frames.OVERHEAD + 4 + 4 * count;
    }

    /** Encodes into the start of {@code scratch} (at least {@link #frameLength} long); returns the length. */
    public static int encodeInto(byte[] scratch, float[] values, int from, int count) {
        ByteBuffer b = Frames.openIn(scratch, ValueKind.FLOAT_BLOCK, 4 + 4 * count);
        b.putInt(count);
        b.asFloatBuffer().put(values, from, count);
        b.position(b.position() + 4 * count);
        return Frames.sealInPlace(b);
    }

    /** Reads the block into {@code out} at {@code at}; returns the number of floats. */
    public static int decode(String key, byte[] value, float[] out, int at) {
        return decode(key, value, value == null ? 0 : value.length, out, at);
    }

    /** As {@link #decode(String, byte[], float[], int)} for a block in the first {@code length} bytes. */
    public static int decode(String key, byte[] value, int length, float[] out, int at) {
        ByteBuffer b = Frames.decode(key, value, length, ValueKind.FLOAT_BLOCK);
        int count = b.getInt();
        if (count < 0 || b.remaining() != 4L * count || at + count > out.length) {
            throw new CorruptBlockException(
                    key,
                    "float block of " + count + " values does not fit its " + b.remaining() + " bytes or the "
                            + (out.length - at) + " floats expected");
        }
        b.asFloatBuffer().get(out, at, count);
        return count;
    }
}
