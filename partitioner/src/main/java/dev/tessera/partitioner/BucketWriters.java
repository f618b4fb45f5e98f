package dev.tessera.partitioner;

import dev.tessera.storage.EdgeBucketSstWriter;
import dev.tessera.storage.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge SST files of one writing task, for edges arriving in any bucket order. Up to {@code maxOpen}
 * bucket files are open at once; when another is needed the least recently used one is finished, and a
 * later edge of that bucket starts a new file that continues the bucket's block numbers. So one task's
 * files never overlap in key range, whether its input is grouped by bucket (one file per bucket) or not.
 */
public final class BucketWriters implements AutoCloseable {
    /** A finished file and what it holds. */
    public record File(Path path, Split split, int lhsPart, int rhsPart, long edges, long unseen) {}

    private final Path dir;
    private final int chunk;
    private final boolean weighted;
    private final int blockSize;
    private final int maxOpen;
    private final LinkedHashMap<Long, Open> open = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Long, Integer> nextBlock = new HashMap<>();
    private final Map<Long, Integer> fileSequence = new HashMap<>();
    private final List<File> finished = new ArrayList<>();

    private static final class Open {
        final EdgeBucketSstWriter writer;
        final Split split;
        final int lhs;
        final int rhs;
        long unseen;

        Open(EdgeBucketSstWriter writer, Split split, int lhs, int rhs) {
            this.writer = writer;
            this.split = split;
            this.lhs = lhs;
            this.rhs = rhs;
        }
    }

    public BucketWriters(Path dir, int chunk, boolean weighted, int blockSize, int maxOpen) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be at least 1, got " + maxOpen);
        }
        this.dir = dir;
        this.chunk = chunk;
        this.weighted = weighted;
        this.blockSize = blockSize;
        this.maxOpen = maxOpen;
    }

    /** Adds one edge; {@code unseen} marks an edge with an end that has no training edge. */
    public void add(
            Split split,
            int lhsPart,
            int rhsPart,
            int rel,
            int lhsOffset,
            int rhsOffset,
            float weight,
            boolean unseen) {
        long key = ((long) split.ordinal() << 56) | ((long) lhsPart << 28) | rhsPart;
        Open o = open.get(key);
        if (o == null) {
            if (open.size() == maxOpen) {
                Map.Entry<Long, Open> eldest = open.entrySet().iterator().next();
                finish(eldest.getKey(), eldest.getValue());
                open.remove(eldest.getKey());
            }
            int seq = fileSequence.merge(key, 1, Integer::sum);
            Path file = dir.resolve(
                    "edges-" + split.ordinal() + "-" + lhsPart + "-" + rhsPart + "-" + chunk + "-" + seq + ".sst");
            o = new Open(
                    new EdgeBucketSstWriter(
                            file, split, lhsPart, rhsPart, chunk, weighted, blockSize, nextBlock.getOrDefault(key, 0)),
                    split,
                    lhsPart,
                    rhsPart);
            open.put(key, o);
        }
        o.writer.add(rel, lhsOffset, rhsOffset, weight);
        if (unseen) {
            o.unseen++;
        }
    }

    private void finish(long key, Open o) {
        Path path = o.writer.finish();
        nextBlock.put(key, o.writer.nextBlock());
        o.writer.close();
        if (path != null) {
            finished.add(new File(path, o.split, o.lhs, o.rhs, o.writer.edges(), o.unseen));
        }
    }

    /** Finishes every open file; returns all files this task wrote. */
    public List<File> finish() {
        for (Map.Entry<Long, Open> e : open.entrySet()) {
            finish(e.getKey(), e.getValue());
        }
        open.clear();
        return finished;
    }

    @Override
    public void close() {
        for (Open o : open.values()) {
            o.writer.close();
        }
        open.clear();
    }
}
