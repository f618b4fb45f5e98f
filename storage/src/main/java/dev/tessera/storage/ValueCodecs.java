package dev.tessera.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Encoders for the small framed values: names, degree arrays and UTF-8 JSON documents. */
final class ValueCodecs {
    /** Entities per degree block. */
    public static final int DEGREE_BLOCK = 4096;

    private ValueCodecs() {}

    public static byte[] encodeName(String name) {
        return Frames.encode(ValueKind.ENTITY_NAME, name.getBytes(StandardCharsets.UTF_8));
    }

    public static String decodeName(String key, byte[] value) {
        ByteBuffer b = Frames.decode(key, value, ValueKind.ENTITY_NAME);
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    public static byte[] encodeJson(String json) {
        return Frames.encode(ValueKind.META_JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    public static String decodeJson(String key, byte[] value) {
        return StandardCharsets.UTF_8
                .decode(Frames.decode(key, value, ValueKind.META_JSON))
                .toString();
    }

    /** Out- and in-degrees of consecutive entities, interleaved: out0, in0, out1, in1, ... */
    public static byte[] encodeDegrees(int[] outDegree, int[] inDegree, int from, int count) {
        ByteBuffer b = Frames.open(ValueKind.DEGREES, 4 + 8 * count);
        b.putInt(count);
        for (int i = from; i < from + count; i++) {
            b.putInt(outDegree[i]).putInt(inDegree[i]);
        }
        return Frames.seal(b);
    }

    /** Fills {@code out}/{@code in} from index {@code from}; returns the number of entities in the block. */
    public static int decodeDegrees(String key, byte[] value, int[] out, int[] in, int from) {
        ByteBuffer b = Frames.decode(key, value, ValueKind.DEGREES);
        int count = b.getInt();
        if (count < 0 || b.remaining() != 8L * count || from + count > out.length) {
            throw new CorruptBlockException(
                    key,
                    "degree block of " + count + " entities does not fit its " + b.remaining()
                            + " bytes or the partition size " + out.length);
        }
        for (int i = from; i < from + count; i++) {
            out[i] = b.getInt();
            in[i] = b.getInt();
        }
        return count;
    }
}
