package dev.tessera.jobs;

import dev.tessera.partitioner.BadRow;
import dev.tessera.partitioner.NodeChunk;
import dev.tessera.partitioner.ParsedChunk;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the driver needs of a parsed chunk (of edges or of a node file): its line count, bad rows and relation
 * names (no edges). (A class, not a record: Spark's Kryo cannot serialize records.)
 */
final class ChunkSummary implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int split;
    private final int chunk;
    private final long lines;
    private final long[] badCounts;
    private final ArrayList<BadRow> badSamples;
    private final ArrayList<String> relations;

    private ChunkSummary(
            int split, int chunk, long lines, long[] badCounts, List<BadRow> badSamples, List<String> relations) {
        this.split = split;
        this.chunk = chunk;
        this.lines = lines;
        this.badCounts = badCounts.clone();
        this.badSamples = new ArrayList<>(badSamples);
        this.relations = new ArrayList<>(relations);
    }

    static ChunkSummary of(ParsedChunk c) {
        return new ChunkSummary(c.split, c.chunk, c.lines(), c.badCounts(), c.badSamples(), c.relations());
    }

    static ChunkSummary of(NodeChunk c) {
        return new ChunkSummary(NodeChunk.SPLIT, c.chunk(), c.lines(), c.badCounts(), c.badSamples(), List.of());
    }

    int split() {
        return split;
    }

    int chunk() {
        return chunk;
    }

    long lines() {
        return lines;
    }

    long[] badCounts() {
        return badCounts;
    }

    List<BadRow> badSamples() {
        return badSamples;
    }

    List<String> relations() {
        return relations;
    }
}
