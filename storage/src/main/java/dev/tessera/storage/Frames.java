package dev.tessera.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The envelope of every stored value: {@code magic "TSRA" | kind (1) | version (2) | length (4) | payload |
 * crc32c (4)} over everything before the checksum, little-endian. Decoding checks each field and names
 * the key and the reason when one is wrong (Lucene's CodecUtil habit).
 */
public final class Frames {
    static final int MAGIC = 0x41525354; // "TSRA" read little-endian
    static final int HEADER = 4 + 1 + 2 + 4;
    static final int OVERHEAD = HEADER + 4;

    private Frames() {}

    /** A buffer with the header written and room for {@code payloadLength} bytes; call {@link #seal} after. */
    public static ByteBuffer open(ValueKind kind, int payloadLength) {
        return openIn(new byte[OVERHEAD + payloadLength], kind, payloadLength);
    }

    /** As {@link #open}, in the start of {@code buffer} (reused scratch; at least the frame's length). */
    public static ByteBuffer openIn(byte[] buffer, ValueKind kind, int payloadLength) {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, OVERHEAD + payloadLength).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).put(kind.id).putShort(kind.version).putInt(payloadLength);
        return b;
    }

    /** Appends the checksum; the buffer must be filled exactly to its payload length. */
    public static byte[] seal(ByteBuffer b) {
        sealInPlace(b);
        return b.array();
    }

    /** Appends the checksum and returns the frame's length (for a frame opened with {@link #openIn}). */
    public static int sealInPlace(ByteBuffer b) {
        if (b.remaining() != 4) {
            throw new IllegalStateException("payload length mismatch: " + (b.remaining() - 4) + " bytes unwritten");
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.position();
    }

    public static byte[] encode(ValueKind kind, byte[] payload) {
        ByteBuffer b = open(kind, payload.length);
        b.put(payload);
        return seal(b);
    }

    /** The payload, positioned at its start and limited to its end; throws naming {@code key} if anything is off. */
    public static ByteBuffer decode(String key, byte[] value, ValueKind expected) {
        return decode(key, value, value == null ? 0 : value.length, expected);
    }

    /** As {@link #decode(String, byte[], ValueKind)} for a frame in the first {@code length} bytes of a buffer. */
    public static ByteBuffer decode(String key, byte[] value, int valueLength, ValueKind expected) {
        if (value == null) {
            throw new CorruptBlockException(key, "missing");
        }
        if (valueLength < OVERHEAD) {
            throw new CorruptBlockException(
                    key, "truncated: " + valueLength + " bytes, a frame needs at least " + OVERHEAD);
        }
        ByteBuffer b = ByteBuffer.wrap(value, 0, valueLength).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt();
        byte kindId = b.get();
        short version = b.getShort();
        int length = b.getInt();
        String problem = headerProblem(magic, kindId, version, expected, "value");
        if (problem != null) {
            throw new CorruptBlockException(key, problem);
        }
        if (length != valueLength - OVERHEAD) {
            throw new CorruptBlockException(
                    key,
                    "length field says " + length + " payload bytes but " + (valueLength - OVERHEAD) + " are present");
        }
        CRC32C crc = new CRC32C();
        crc.update(value, 0, valueLength - 4);
        int stored = ByteBuffer.wrap(value, valueLength - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        if (stored != (int) crc.getValue()) {
            throw new CorruptBlockException(
                    key,
                    String.format("checksum mismatch (stored 0x%08x, computed 0x%08x)", stored, (int) crc.getValue()));
        }
        b.limit(valueLength - 4);
        return b.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * What is wrong with a header's magic, kind and version when {@code expected} is wanted, or null when
     * nothing is: the checks every reader of a frame makes, for a stored value or one of storage's files
     * ({@code what} names which, in the message).
     */
    static String headerProblem(int magic, byte kindId, short version, ValueKind expected, String what) {
        if (magic != MAGIC) {
            return String.format("bad magic 0x%08x (not a Tessera %s)", magic, what);
        }
        ValueKind kind = ValueKind.byId(kindId);
        if (kind != expected) {
            return "expected a " + expected + " but found "
                    + (kind == null ? "unknown kind " + kindId : kind.toString());
        }
        if (version > expected.version) {
            return expected + " format version " + version + " is newer than this Tessera reads (" + expected.version
                    + "); upgrade Tessera";
        }
        return null;
    }
}
