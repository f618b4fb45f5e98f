package dev.tessera.jobs;

import dev.tessera.partitioner.BucketWriters;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a Spark task reports back for each SST file it wrote: its kind (which ingest call takes it) and, for edge
 * files, the bucket, the edge count and how many edges touch an entity unseen in training (so the driver
 * sums counts without reading edges). (A class, not a record: Spark's Kryo cannot serialize records.)
 */
final class WrittenFile implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The kinds of file an import writes, one per ingest call of the graph store. */
    enum Kind {
        EDGES,
        ENTITIES,
        NAMES,
        DEGREES
    }

    private final Kind kind;
    private final String path;
    private final int split;
    private final int lhsPart;
    private final int rhsPart;
    private final long edges;
    private final long unseenInTrain;

    private WrittenFile(Kind kind, String path, int split, int lhsPart, int rhsPart, long edges, long unseen) {
        this.kind = kind;
        this.path = path;
        this.split = split;
        this.lhsPart = lhsPart;
        this.rhsPart = rhsPart;
        this.edges = edges;
        this.unseenInTrain = unseen;
    }

    static WrittenFile edges(BucketWriters.File f) {
        return new WrittenFile(
                Kind.EDGES, f.path().toString(), f.split().ordinal(), f.lhsPart(), f.rhsPart(), f.edges(), f.unseen());
    }

    static WrittenFile of(Kind kind, Path file) {
        return new WrittenFile(kind, file.toString(), -1, -1, -1, 0, 0);
    }

    Kind kind() {
        return kind;
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
