package dev.tessera.storage;

import java.nio.file.Path;

/**
 * Writes the name-ordered side of the entity dictionary (name → {@link EntityRef}) to an SST file for
 * {@link GraphStore#ingestEntities}. Names must arrive in the store's order, the unsigned order of their
 * {@link #sortKey}s: a distributed import sorts those bytes itself and hands them back here, so this class
 * is the one place that knows an entity's key is its UTF-8 name. (The offset-ordered side is
 * {@link PartitionDictionaryWriter}'s.)
 */
public final class EntitySstWriter implements AutoCloseable {
    private final SortedSstWriter sst;

    public EntitySstWriter(Path file) {
        this.sst = new SortedSstWriter(file);
    }

    /** The bytes the store orders entity names by; sort names by these (unsigned) before {@link #put}. */
    public static byte[] sortKey(String name) {
        return Keys.entity(name);
    }

    /** Adds the entity whose {@link #sortKey} is {@code sortKey} (keys strictly increasing). */
    public void put(byte[] sortKey, EntityRef ref) {
        sst.put(sortKey, ref.encode());
    }

    /** Adds an entity by name (names strictly increasing in {@link #sortKey} order). */
    public void put(String name, EntityRef ref) {
        put(sortKey(name), ref);
    }

    /** Completes the file; returns it, or null when no entity was put. */
    public Path finish() {
        return sst.finish();
    }

    @Override
    public void close() {
        sst.close();
    }
}
