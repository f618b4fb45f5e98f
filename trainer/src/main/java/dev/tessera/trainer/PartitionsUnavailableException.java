package dev.tessera.trainer;

/**
 * A bucket's partitions cannot be had now (their home stopped answering): the bucket is skipped and handed
 * back to its {@link BucketSchedule}, which may hand it out again later, instead of the run failing.
 */
public final class PartitionsUnavailableException extends RuntimeException {
    public PartitionsUnavailableException(String message) {
        super(message);
    }
}
