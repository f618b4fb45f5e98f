package dev.tessera.distributed;

import java.nio.file.Path;

/**
 * How trainers talk: timeouts, how often shared parameters are exchanged, the transfer chunk size and the
 * optional shared secret. {@link #defaults()} are the values used unless a caller sets them.
 *
 * @param leaseTimeoutNanos     a bucket lease lapses after this long without a heartbeat (heartbeats go every
 *                              quarter of it)
 * @param deadAfterNanos        a trainer silent this long is taken for dead: its home partitions move to the
 *                              others, restored from the last checkpoint
 * @param syncIntervalNanos     shared parameters are exchanged after a bucket once this long has passed
 * @param transferTimeoutNanos  a send or a partition transfer that makes no progress for this long fails (a
 *                              partition transfer is then retried, up to 3 tries, then its bucket handed back)
 * @param requestTimeoutNanos   a request to rank 0 (the lock server; a parameter exchange, whose push may have
 *                              been applied and so is never sent twice) without an answer for this long fails
 * @param joinTimeoutNanos      how long rank 0 waits for all trainers to join (and they for its welcome)
 * @param commitTimeoutNanos    how long a trainer waits at an epoch's end for the others and the commit
 * @param chunkFloats           floats per transfer chunk (a chunk must fit an eighth of Aeron's 16 MiB term)
 * @param secretFile            the shared secret's file, or null for none
 */
public record DistributedSettings(
        long leaseTimeoutNanos,
        long deadAfterNanos,
        long syncIntervalNanos,
        long transferTimeoutNanos,
        long requestTimeoutNanos,
        long joinTimeoutNanos,
        long commitTimeoutNanos,
        int chunkFloats,
        Path secretFile) {
    private static final long SECOND = 1_000_000_000L;

    public DistributedSettings {
        if (chunkFloats < 1 || chunkFloats > (2 << 20) / Float.BYTES - 64) {
            throw new IllegalArgumentException("chunkFloats " + chunkFloats + " must be in 1..524224");
        }
    }

    public static DistributedSettings defaults() {
        return new DistributedSettings(
                60 * SECOND,
                120 * SECOND,
                SECOND / 5,
                30 * SECOND,
                60 * SECOND,
                300 * SECOND,
                1800 * SECOND,
                256 << 10,
                null);
    }

    /** These settings with leases that lapse after {@code nanos} without a heartbeat. */
    public DistributedSettings withLeaseTimeoutNanos(long nanos) {
        return new DistributedSettings(
                nanos,
                deadAfterNanos,
                syncIntervalNanos,
                transferTimeoutNanos,
                requestTimeoutNanos,
                joinTimeoutNanos,
                commitTimeoutNanos,
                chunkFloats,
                secretFile);
    }

    /** These settings with sends, transfers and exchanges failing after {@code nanos} without progress. */
    public DistributedSettings withTransferTimeoutNanos(long nanos) {
        return new DistributedSettings(
                leaseTimeoutNanos,
                deadAfterNanos,
                syncIntervalNanos,
                nanos,
                requestTimeoutNanos,
                joinTimeoutNanos,
                commitTimeoutNanos,
                chunkFloats,
                secretFile);
    }

    /** These settings with trainers silent for {@code nanos} taken for dead. */
    public DistributedSettings withDeadAfterNanos(long nanos) {
        return new DistributedSettings(
                leaseTimeoutNanos,
                nanos,
                syncIntervalNanos,
                transferTimeoutNanos,
                requestTimeoutNanos,
                joinTimeoutNanos,
                commitTimeoutNanos,
                chunkFloats,
                secretFile);
    }

    public DistributedSettings withSecretFile(Path file) {
        return new DistributedSettings(
                leaseTimeoutNanos,
                deadAfterNanos,
                syncIntervalNanos,
                transferTimeoutNanos,
                requestTimeoutNanos,
                joinTimeoutNanos,
                commitTimeoutNanos,
                chunkFloats,
                file);
    }
}
