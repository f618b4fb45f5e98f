package dev.tessera.storage;

/** A stored value that cannot be trusted: bad magic, wrong kind, newer format, short, or failed checksum. */
public final class CorruptBlockException extends StorageException {
    private static final long serialVersionUID = 1L;

    public CorruptBlockException(String key, String reason) {
        super("stored value at " + key + " is unreadable: " + reason);
    }
}
