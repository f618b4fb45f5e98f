package dev.tessera.distributed;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * A flyweight over one received frame of Tessera's wire format: {@link #wrap} checks the header and the body
 * length of the frame's type against the buffer before any field is read, so a truncated, oversized or
 * corrupted frame is refused there, never read past its end.
 *
 * <p>Layout, little-endian:
 *
 * <pre>
 *  0  u16  magic 0x5354 ("TS")
 *  2  u8   version ({@link #VERSION})
 *  3  u8   type ({@link MessageType})
 *  4  i32  sender rank
 *  8  i64  correlation id (a request's, echoed by its replies)
 * 16  i32  body length
 * 20       body: the type's fixed fields, then (for chunk types) a payload of body length − fixed length
 * </pre>
 *
 * Bodies, by type (offsets from the body's start): see {@link MessageType}.
 */
public final class Message {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final short MAGIC = 0x5354;
    static final int VERSION = 2;
    static final int HEADER_LENGTH = 20;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private MessageType type;

    /**
     * Points this flyweight at {@code length} bytes of {@code buffer} from {@code offset}. Returns null when
     * they hold a whole, well-formed frame, or else what is wrong with them.
     */
    public String wrap(DirectBuffer buffer, int offset, int length) {
        this.type = null;
        if (offset < 0 || length < 0 || (long) offset + length > buffer.capacity()) {
            return "frame of " + length + " bytes at " + offset + " overruns a buffer of " + buffer.capacity();
        }
        if (length < HEADER_LENGTH) {
            return "frame of " + length + " bytes is shorter than the header (" + HEADER_LENGTH + ")";
        }
        if (buffer.getShort(offset, ORDER) != MAGIC) {
            return "bad magic";
        }
        int version = buffer.getByte(offset + 2) & 0xFF;
        if (version != VERSION) {
            return "wire version " + version + ", this trainer speaks " + VERSION;
        }
        MessageType t = MessageType.of(buffer.getByte(offset + 3) & 0xFF);
        if (t == null) {
            return "unknown message type " + (buffer.getByte(offset + 3) & 0xFF);
        }
        int body = buffer.getInt(offset + 16, ORDER);
        if (body != length - HEADER_LENGTH) {
            return t + ": body length " + body + " but the frame carries " + (length - HEADER_LENGTH);
        }
        if (body < t.fixedLength || (!t.hasPayload && body != t.fixedLength)) {
            return t + ": body of " + body + " bytes, expected " + (t.hasPayload ? "at least " : "") + t.fixedLength;
        }
        if (t.hasPayload && (body - t.fixedLength) % Float.BYTES != 0) {
            return t + ": payload of " + (body - t.fixedLength) + " bytes is not whole floats";
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.type = t;
        return null;
    }

    /** Bytes of the whole frame, header included. */
    public int frameLength() {
        return length;
    }

    /** Copies the whole frame into {@code out} from its start (which must have room for it). */
    public void copyTo(org.agrona.MutableDirectBuffer out) {
        out.putBytes(0, buffer, offset, length);
    }

    public MessageType type() {
        return type;
    }

    public int senderRank() {
        return buffer.getInt(offset + 4, ORDER);
    }

    public long correlation() {
        return buffer.getLong(offset + 8, ORDER);
    }

    /** The i32 field at byte {@code at} of the body (checked against the type's fixed fields by {@link #wrap}). */
    public int intAt(int at) {
        requireField(at, Integer.BYTES);
        return buffer.getInt(offset + HEADER_LENGTH + at, ORDER);
    }

    /** The i64 field at byte {@code at} of the body. */
    public long longAt(int at) {
        requireField(at, Long.BYTES);
        return buffer.getLong(offset + HEADER_LENGTH + at, ORDER);
    }

    /** Copies {@code out.length} bytes of the body from byte {@code at}. */
    public void bytesAt(int at, byte[] out) {
        requireField(at, out.length);
        buffer.getBytes(offset + HEADER_LENGTH + at, out);
    }

    /** Floats in the payload (for chunk types). */
    public int payloadFloats() {
        return (length - HEADER_LENGTH - type.fixedLength) / Float.BYTES;
    }

    /** Float {@code i} of the payload. */
    public float payloadFloat(int i) {
        if (i < 0 || i >= payloadFloats()) {
            throw new IndexOutOfBoundsException("payload float " + i + " of " + payloadFloats());
        }
        return buffer.getFloat(payloadOffset() + i * Float.BYTES, ORDER);
    }

    /** Word {@code i} of the payload as an i32. */
    public int payloadInt(int i) {
        if (i < 0 || i >= payloadFloats()) {
            throw new IndexOutOfBoundsException("payload word " + i + " of " + payloadFloats());
        }
        return buffer.getInt(payloadOffset() + i * Integer.BYTES, ORDER);
    }

    /** Copies {@code n} payload floats from {@code from} into {@code out[at..]} (bounds checked once). */
    public void payloadFloatsInto(int from, int n, float[] out, int at) {
        if (from < 0 || n < 0 || from + n > payloadFloats() || at < 0 || at + n > out.length) {
            throw new IndexOutOfBoundsException(n + " payload floats from " + from + " of " + payloadFloats() + " into "
                    + out.length + " at " + at);
        }
        int base = payloadOffset() + from * Float.BYTES;
        // Bulk copies through a float view of the memory behind the buffer: chunks are a megabyte.
        byte[] array = buffer.byteArray();
        java.nio.ByteBuffer bb = buffer.byteBuffer();
        if (array != null) {
            java.nio.ByteBuffer.wrap(array, buffer.wrapAdjustment() + base, n * Float.BYTES)
                    .slice()
                    .order(ORDER)
                    .asFloatBuffer()
                    .get(out, at, n);
        } else if (bb != null) {
            java.nio.ByteBuffer view = bb.duplicate();
            view.limit(buffer.wrapAdjustment() + base + n * Float.BYTES).position(buffer.wrapAdjustment() + base);
            view.slice().order(ORDER).asFloatBuffer().get(out, at, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[at + i] = buffer.getFloat(base + i * Float.BYTES, ORDER);
            }
        }
    }

    /** CRC32C of the payload's bytes. */
    public int payloadChecksum() {
        return Checksums.crc32c(buffer, payloadOffset(), length - HEADER_LENGTH - type.fixedLength);
    }

    private int payloadOffset() {
        return offset + HEADER_LENGTH + type.fixedLength;
    }

    private void requireField(int at, int bytes) {
        if (at < 0 || at + bytes > type.fixedLength) {
            throw new IndexOutOfBoundsException(type + " has no " + bytes + "-byte field at " + at);
        }
    }
}
