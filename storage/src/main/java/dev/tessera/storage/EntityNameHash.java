package dev.tessera.storage;

/**
 * The 64-bit hash that leads an entity's key in the store (format 2 on): the name → entity index is ordered by
 * it, so an import can write that index from tasks that each hold a range of hashes, without sorting names
 * across the whole graph. The import computes the same hash when it parses a row and orders its entities by it.
 */
public final class EntityNameHash {
    private EntityNameHash() {}

    /** 64-bit FNV-1a over the UTF-16 chars, finished with MurmurHash3's fmix64. */
    public static long of(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
