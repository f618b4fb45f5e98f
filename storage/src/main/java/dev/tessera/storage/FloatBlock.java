package dev.tessera.storage;

import java.nio.ByteBuffer;

/** A framed block of floats (embedding rows, optimizer state, relation parameters): {@code count | floats}. */
public final class FloatBlock {
    private FloatBlock() {
    }

    public static byte[] encode(float[] values, int from, int count) {
        ByteBuffer b = Frames.open(ValueKind.FLOAT_BLOCK, 4 + 4 * count);
        b.putInt(count);
        for (int i = from; i < from + count; i++) {
            b.putFloat(values[i]);
        }
        return Frames.seal(b);
    }

    /** Reads the block into {@code out} at {@code at}; returns the number of floats. */
    public static int decode(String key, byte[] value, float[] out, int at) {
        ByteBuffer b = Frames.decode(key, value, ValueKind.FLOAT_BLOCK);
        int count = b.getInt();
        if (count < 0 || b.remaining() != 4L * count || at + count > out.length) {
            throw new CorruptBlockException(key, "float block of " + count + " values does not fit its "
                    + b.remaining() + " bytes or the " + (out.length - at) + " floats expected");
        }
        b.asFloatBuffer().get(out, at, count);
        return count;
    }
}
