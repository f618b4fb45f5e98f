package dev.tessera.distributed;

import dev.tessera.storage.CheckpointStore;
import java.util.function.Supplier;

/**
 * The checkpoint a distributed trainer reads where its run starts (resume point, shared parameters, home
 * partitions), held only until its first epoch begins: rank 0 keeps its own writable store for the whole
 * run; any other rank opens the store read-only when first asked (after rank 0 has welcomed it) and closes
 * it then, before rank 0 writes anything.
 */
final class StartupCheckpoint implements AutoCloseable {
    private final Supplier<CheckpointStore> opener;
    private final boolean owned;
    private CheckpointStore store;
    private boolean closed;

    private StartupCheckpoint(Supplier<CheckpointStore> opener, boolean owned) {
        this.opener = opener;
        this.owned = owned;
    }

    /** Rank 0's own store, which it keeps open for the run. */
    static StartupCheckpoint shared(CheckpointStore own) {
        return new StartupCheckpoint(() -> own, false);
    }

    /** A store this trainer opens on first use and closes with {@link #close}. */
    static StartupCheckpoint opened(Supplier<CheckpointStore> opener) {
        return new StartupCheckpoint(opener, true);
    }

    synchronized CheckpointStore store() {
        if (closed) {
            throw new IllegalStateException("the startup checkpoint is closed once training begins");
        }
        if (store == null) {
            store = opener.get();
        }
        return store;
    }

    synchronized boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized void close() {
        if (!closed && owned && store != null) {
            store.close();
        }
        closed = true;
    }
}
