package dev.tessera.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Key layouts, big-endian so RocksDB's bytewise order is numeric order:
 * edges {@code split(1) | lhsPart(4) | rhsPart(4) | chunk(4) | block(4)};
 * entities {@code hash(8) | name (UTF-8)} ({@link EntityNameHash}; format 1: the name alone);
 * names {@code type(2) | part(4) | offset(4)};
 * degrees {@code type(2) | part(4) | firstOffset(4)} (a block of consecutive entities' degrees);
 * features {@code type(2) | part(4) | offset(4)} (one entity's feature row).
 */
final class Keys {
    private Keys() {}

    public static byte[] edge(Split split, int lhsPart, int rhsPart, int chunk, int block) {
        return ByteBuffer.allocate(17)
                .put((byte) split.ordinal())
                .putInt(lhsPart)
                .putInt(rhsPart)
                .putInt(chunk)
                .putInt(block)
                .array();
    }

    public static byte[] bucketPrefix(Split split, int lhsPart, int rhsPart) {
        return ByteBuffer.allocate(9)
                .put((byte) split.ordinal())
                .putInt(lhsPart)
                .putInt(rhsPart)
                .array();
    }

    public static String describeEdge(byte[] key) {
        ByteBuffer b = ByteBuffer.wrap(key);
        if (key.length != 17) {
            return "edges/<malformed key of " + key.length + " bytes>";
        }
        return "edges/" + Split.values()[b.get()].label() + "/bucket(" + b.getInt() + "," + b.getInt() + ")/chunk "
                + b.getInt() + "/block " + b.getInt();
    }

    public static byte[] entity(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + utf8.length)
                .putLong(EntityNameHash.of(name))
                .put(utf8)
                .array();
    }

    /** An entity's key in a store of format 1, which ordered the name → entity index by name. */
    public static byte[] entityFormat1(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] name(int type, int part, int offset) {
        return ByteBuffer.allocate(10)
                .putShort((short) type)
                .putInt(part)
                .putInt(offset)
                .array();
    }

    public static byte[] degrees(int type, int part, int firstOffset) {
        return ByteBuffer.allocate(10)
                .putShort((short) type)
                .putInt(part)
                .putInt(firstOffset)
                .array();
    }

    public static byte[] feature(int type, int part, int offset) {
        return name(type, part, offset);
    }

    public static int degreesFirstOffset(byte[] key) {
        return ByteBuffer.wrap(key, 6, 4).getInt();
    }

    /** The (type, part) prefix shared by name keys and degree keys of one partition. */
    public static byte[] partitionPrefix(int type, int part) {
        return ByteBuffer.allocate(6).putShort((short) type).putInt(part).array();
    }

    static boolean hasPrefix(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    public static byte[] meta(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
