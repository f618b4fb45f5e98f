package dev.tessera.partitioner;

import dev.tessera.storage.EntityNameHash;

/**
 * A 96-bit key of an entity name: two independent hashes (64 and 32 bits) computed once when a row is
 * parsed, so the import aggregates and joins on fixed-width numbers instead of strings. Two names share a
 * key with probability about n²/2^97 (10^-11 for a billion names).
 */
public final class EntityKey {
    private EntityKey() {}

    /** The 64-bit name hash the store orders entity keys by ({@link EntityNameHash}). */
    public static long k1(String name) {
        return EntityNameHash.of(name);
    }

    /** A second, independent 32-bit hash: multiply-rotate over the chars, finished with fmix32. */
    public static int k2(String name) {
        int h = 0x9747b28c ^ name.length();
        for (int i = 0; i < name.length(); i++) {
            int k = name.charAt(i) * 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15) * 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
