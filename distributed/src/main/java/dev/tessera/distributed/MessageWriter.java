package dev.tessera.distributed;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds one frame of the wire format ({@link Message}) at a time in a buffer it owns: a header, the type's
 * fixed fields, and for chunk types a payload of floats. One writer per sending thread; it allocates nothing
 * per frame.
 */
final class MessageWriter {
    private final UnsafeBuffer buffer;
    private MessageType type;
    private int payloadBytes;

    /** A writer for frames whose payload holds up to {@code maxPayloadFloats} floats. */
    MessageWriter(int maxPayloadFloats) {
        this.buffer = new UnsafeBuffer(
                ByteBuffer.allocateDirect(Message.HEADER_LENGTH + 64 + maxPayloadFloats * Float.BYTES));
    }

    /** Floats the payload may hold. */
    int maxPayloadFloats() {
        return (buffer.capacity() - Message.HEADER_LENGTH - 64) / Float.BYTES;
    }

    MessageWriter start(MessageType t, int senderRank, long correlation) {
        this.type = t;
        this.payloadBytes = 0;
        buffer.setMemory(0, Message.HEADER_LENGTH + t.fixedLength, (byte) 0);
        buffer.putShort(0, Message.MAGIC, Message.ORDER);
        buffer.putByte(2, (byte) Message.VERSION);
        buffer.putByte(3, (byte) t.code);
        buffer.putInt(4, senderRank, Message.ORDER);
        buffer.putLong(8, correlation, Message.ORDER);
        buffer.putInt(16, t.fixedLength, Message.ORDER);
        return this;
    }

    MessageWriter putInt(int at, int value) {
        check(at, Integer.BYTES);
        buffer.putInt(Message.HEADER_LENGTH + at, value, Message.ORDER);
        return this;
    }

    MessageWriter putLong(int at, long value) {
        check(at, Long.BYTES);
        buffer.putLong(Message.HEADER_LENGTH + at, value, Message.ORDER);
        return this;
    }

    MessageWriter putBytes(int at, byte[] value) {
        check(at, value.length);
        buffer.putBytes(Message.HEADER_LENGTH + at, value);
        return this;
    }

    /** Appends {@code n} floats of {@code values} from {@code from} to the payload. */
    MessageWriter appendFloats(float[] values, int from, int n) {
        if (!type.hasPayload || payloadBytes + n * Float.BYTES > maxPayloadFloats() * Float.BYTES) {
            throw new IllegalArgumentException(type + ": no room for " + n + " more floats");
        }
        int at = Message.HEADER_LENGTH + type.fixedLength + payloadBytes;
        // A bulk copy through a float view: partition chunks are a megabyte.
        ByteBuffer view = buffer.byteBuffer().duplicate().order(Message.ORDER);
        view.position(at);
        view.asFloatBuffer().put(values, from, n);
        payloadBytes += n * Float.BYTES;
        buffer.putInt(16, type.fixedLength + payloadBytes, Message.ORDER);
        return this;
    }

    /** Appends {@code values} to the payload as i32 words. */
    MessageWriter appendInts(int[] values) {
        int at = Message.HEADER_LENGTH + type.fixedLength + payloadBytes;
        if (!type.hasPayload || at + (long) values.length * Integer.BYTES > buffer.capacity()) {
            throw new IllegalArgumentException(type + ": no room for " + values.length + " more words");
        }
        for (int i = 0; i < values.length; i++) {
            buffer.putInt(at + i * Integer.BYTES, values[i], Message.ORDER);
        }
        payloadBytes += values.length * Integer.BYTES;
        buffer.putInt(16, type.fixedLength + payloadBytes, Message.ORDER);
        return this;
    }

    /** Stores the payload's CRC32C in the fixed field at {@code at}. */
    MessageWriter checksumPayloadInto(int at) {
        return putInt(at, Checksums.crc32c(buffer, Message.HEADER_LENGTH + type.fixedLength, payloadBytes));
    }

    UnsafeBuffer buffer() {
        return buffer;
    }

    int length() {
        return Message.HEADER_LENGTH + type.fixedLength + payloadBytes;
    }

    MessageType type() {
        return type;
    }

    private void check(int at, int bytes) {
        if (at < 0 || at + bytes > type.fixedLength) {
            throw new IllegalArgumentException(type + " has no " + bytes + "-byte field at " + at);
        }
    }
}
