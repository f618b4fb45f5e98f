package dev.tessera.storage;

import java.nio.ByteBuffer;

/** Where an entity lives: its type id, its partition, and its dense offset inside that partition. */
public record EntityRef(int type, int part, int offset) implements java.io.Serializable {

    public byte[] encode() {
        ByteBuffer b = Frames.open(ValueKind.ENTITY_REF, 10);
        b.putShort((short) type).putInt(part).putInt(offset);
        return Frames.seal(b);
    }

    public static EntityRef decode(String key, byte[] value) {
        ByteBuffer b = Frames.decode(key, value, ValueKind.ENTITY_REF);
        if (b.remaining() != 10) {
            throw new CorruptBlockException(key, "entity reference needs 10 bytes, found " + b.remaining());
        }
        return new EntityRef(b.getShort(), b.getInt(), b.getInt());
    }
}
