package dev.tessera.jobs;

import dev.tessera.partitioner.BucketWriters;
import dev.tessera.storage.Family;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a Spark task reports back for each SST file it wrote: the family to ingest it into and, for edge
 * files, the bucket, the edge count and how many edges touch an entity unseen in training (so the driver
 * sums counts without reading edges).
 */
record WrittenFile(Family family, String path, int split, int lhsPart, int rhsPart, long edges,
                   long unseenInTrain) implements Serializable {

    static WrittenFile edges(BucketWriters.File f) {
        return new WrittenFile(Family.EDGES, f.path().toString(), f.split().ordinal(), f.lhsPart(), f.rhsPart(),
                f.edges(), f.unseen());
    }

    static WrittenFile of(Family family, Path file) {
        return new WrittenFile(family, file.toString(), -1, -1, -1, 0, 0);
    }
}
