package dev.tessera.jobs;

/** An import that stopped on bad input or a refused target; nothing was written to the target. */
public final class ImportFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImportFailedException(String message) {
        super(message);
    }
}
