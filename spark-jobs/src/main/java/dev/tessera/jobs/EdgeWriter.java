package dev.tessera.jobs;

import dev.tessera.partitioner.BucketWriters;
import dev.tessera.partitioner.MappedEdge;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.Split;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * Writes resolved edges as per-bucket SST files. With few buckets every task writes its share of each
 * bucket straight away (no shuffle); with many, edges are first grouped by bucket (and spread over tasks
 * by a salt) so a task keeps one file open at a time. Edges of the wrong type are counted, not written.
 */
final class EdgeWriter {
    /** Bucket files a task keeps open at once (each buffers one block): beyond this, group by bucket first. */
    static final int MAX_OPEN_FILES = 192;
    /** Edges per task when grouping: large enough to amortise a task, small enough to spread a bucket. */
    private static final long EDGES_PER_TASK = 1_000_000;

    private EdgeWriter() {}

    /** What one write task did. (A class, not a record: Spark's Kryo cannot serialize records.) */
    static final class TaskResult implements Serializable {
        private static final long serialVersionUID = 1L;
        private final ArrayList<WrittenFile> files;
        private final long wrongType;
        private final ArrayList<MappedEdge> wrongSamples;

        TaskResult(List<WrittenFile> files, long wrongType, List<MappedEdge> wrongSamples) {
            this.files = new ArrayList<>(files);
            this.wrongType = wrongType;
            this.wrongSamples = new ArrayList<>(wrongSamples);
        }

        List<WrittenFile> files() {
            return files;
        }

        long wrongType() {
            return wrongType;
        }

        List<MappedEdge> wrongSamples() {
            return wrongSamples;
        }
    }

    static List<TaskResult> write(
            JavaRDD<MappedEdge> edges,
            Path sstDir,
            boolean weighted,
            int partitions,
            int splits,
            long edgeCount,
            int parallelism) {
        long buckets = (long) partitions * partitions * splits;
        if (buckets > MAX_OPEN_FILES) {
            int tasks = (int) Math.max(parallelism, Math.min(4000, edgeCount / EDGES_PER_TASK + 1));
            int spread = Math.max(1, (int) Math.ceil((double) tasks / ((long) partitions * partitions)));
            edges = edges.mapToPair(e -> new Tuple2<>(
                            new BucketOrder(
                                    e.split(),
                                    e.lhsPart(),
                                    e.rhsPart(),
                                    Math.floorMod(e.lhsOffset() * 31 + e.rhsOffset(), spread)),
                            e))
                    .repartitionAndSortWithinPartitions(new HashPartitioner(tasks))
                    .values();
        }
        String dir = sstDir.toString();
        Function2<Integer, Iterator<MappedEdge>, Iterator<TaskResult>> write = (task, it) -> {
            long wrong = 0;
            List<MappedEdge> samples = new ArrayList<>();
            try (BucketWriters w =
                    new BucketWriters(Path.of(dir), task, weighted, EdgeBlock.DEFAULT_SIZE, MAX_OPEN_FILES)) {
                while (it.hasNext()) {
                    MappedEdge e = it.next();
                    if (e.wrongType()) {
                        wrong++;
                        if (samples.size() < ImportJob.BAD_ROW_SAMPLES) {
                            samples.add(e);
                        }
                        continue;
                    }
                    w.add(
                            Split.values()[e.split()],
                            e.lhsPart(),
                            e.rhsPart(),
                            e.rel(),
                            e.lhsOffset(),
                            e.rhsOffset(),
                            e.weight(),
                            e.unseen());
                }
                List<WrittenFile> files =
                        w.finish().stream().map(WrittenFile::edges).toList();
                return List.of(new TaskResult(files, wrong, samples)).iterator();
            }
        };
        return edges.mapPartitionsWithIndex(write, false).collect();
    }

    /** Grouping key of the shuffle: bucket, then salt; sorting by it puts each bucket's edges together. */
    static final class BucketOrder implements Comparable<BucketOrder>, Serializable {
        private static final long serialVersionUID = 1L;
        private final int split;
        private final int lhsPart;
        private final int rhsPart;
        private final int salt;

        BucketOrder(int split, int lhsPart, int rhsPart, int salt) {
            this.split = split;
            this.lhsPart = lhsPart;
            this.rhsPart = rhsPart;
            this.salt = salt;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BucketOrder b && compareTo(b) == 0;
        }

        @Override
        public int hashCode() {
            return ((split * 31 + lhsPart) * 31 + rhsPart) * 31 + salt;
        }

        @Override
        public int compareTo(BucketOrder o) {
            int c = Integer.compare(split, o.split);
            if (c == 0) {
                c = Integer.compare(lhsPart, o.lhsPart);
            }
            if (c == 0) {
                c = Integer.compare(rhsPart, o.rhsPart);
            }
            return c != 0 ? c : Integer.compare(salt, o.salt);
        }
    }
}
