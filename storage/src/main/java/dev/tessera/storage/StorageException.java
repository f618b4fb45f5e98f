package dev.tessera.storage;

/** A graph store that cannot be opened, read or written, with the path or key and the reason. */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
