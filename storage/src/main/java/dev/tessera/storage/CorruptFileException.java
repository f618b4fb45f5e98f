package dev.tessera.storage;

import java.nio.file.Path;

/**
 * A file of storage's own format (outside RocksDB) that cannot be trusted: bad magic, wrong kind, newer
 * format, short, or failed checksum. Names the file, so the message says what to delete or rebuild.
 */
public final class CorruptFileException extends StorageException {
    private static final long serialVersionUID = 1L;

    public CorruptFileException(Path file, String reason) {
        super("file " + file + " is unreadable: " + reason);
    }
}
