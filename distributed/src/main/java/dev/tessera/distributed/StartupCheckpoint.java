package dev.tessera.distributed;

import dev.tessera.storage.CheckpointStore;

/**
 * The checkpoint a distributed trainer reads where its run starts (resume point, shared parameters, home
 * partitions), held only until its first epoch begins: rank 0 keeps its own writable store for the whole
 * run; any other rank opened the store read-only and closes it then, before rank 0 writes anything.
 */
final class StartupCheckpoint implements AutoCloseable {
    private final CheckpointStore store;
    private final boolean owned;
    private boolean open = true;

    StartupCheckpoint(CheckpointStore store, boolean owned) {
        this.store = store;
        this.owned = owned;
    }

    CheckpointStore store() {
        if (!open) {
            throw new IllegalStateException("the startup checkpoint is closed once training begins");
        }
        return store;
    }

    boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (open && owned) {
            store.close();
        }
        open = false;
    }
}
