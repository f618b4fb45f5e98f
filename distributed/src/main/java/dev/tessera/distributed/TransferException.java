package dev.tessera.distributed;

/** A message or transfer between trainers failed: the message names the peer and what was being moved. */
public final class TransferException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransferException(String message) {
        super(message);
    }
}
