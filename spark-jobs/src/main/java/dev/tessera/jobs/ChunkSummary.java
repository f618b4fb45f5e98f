package dev.tessera.jobs;

import dev.tessera.partitioner.BadRow;
import dev.tessera.partitioner.ParsedChunk;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the driver needs of a parsed chunk: its line count, bad rows and relation names (no edges).
 * (A class, not a record: Spark's Kryo cannot serialize records.)
 */
final class ChunkSummary implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int split;
    private final int chunk;
    private final long lines;
    private final long[] badCounts;
    private final ArrayList<BadRow> badSamples;
    private final ArrayList<String> relations;

    private ChunkSummary(ParsedChunk c) {
        this.split = c.split;
        this.chunk = c.chunk;
        this.lines = c.lines();
        this.badCounts = c.badCounts().clone();
        this.badSamples = new ArrayList<>(c.badSamples());
        this.relations = new ArrayList<>(c.relations());
    }

    static ChunkSummary of(ParsedChunk c) {
        return new ChunkSummary(c);
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
