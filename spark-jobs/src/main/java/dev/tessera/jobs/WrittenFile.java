package dev.tessera.jobs;

import dev.tessera.partitioner.BucketWriters;
import dev.tessera.storage.Family;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a Spark task reports back for each SST file it wrote: the family to ingest it into and, for edge
 * files, the bucket, the edge count and how many edges touch an entity unseen in training (so the driver
 * sums counts without reading edges). (A class, not a record: Spark's Kryo cannot serialize records.)
 */
final class WrittenFile implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Family family;
    private final String path;
    private final int split;
    private final int lhsPart;
    private final int rhsPart;
    private final long edges;
    private final long unseenInTrain;

    private WrittenFile(Family family, String path, int split, int lhsPart, int rhsPart, long edges, long unseen) {
        this.family = family;
        this.path = path;
        this.split = split;
        this.lhsPart = lhsPart;
        this.rhsPart = rhsPart;
        this.edges = edges;
        this.unseenInTrain = unseen;
    }

    static WrittenFile edges(BucketWriters.File f) {
        return new WrittenFile(
                Family.EDGES,
                f.path().toString(),
                f.split().ordinal(),
                f.lhsPart(),
                f.rhsPart(),
                f.edges(),
                f.unseen());
    }

    static WrittenFile of(Family family, Path file) {
        return new WrittenFile(family, file.toString(), -1, -1, -1, 0, 0);
    }

    Family family() {
        return family;
    }

    String path() {
        return path;
    }

    int split() {
        return split;
    }

    int lhsPart() {
        return lhsPart;
    }

    int rhsPart() {
        return rhsPart;
    }

    long edges() {
        return edges;
    }

    long unseenInTrain() {
        return unseenInTrain;
    }
}
