package dev.tessera.jobs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * File line numbers from (split, chunk, index in chunk): the chunks' line counts, summed in chunk order,
 * give each chunk's first line, so the input is read once rather than once more to number its lines.
 */
final class LineIndex {
    private final Map<Integer, long[]> firstLine = new HashMap<>();
    private final Map<Integer, Long> lines = new HashMap<>();

    LineIndex(List<ChunkSummary> chunks) {
        Map<Integer, TreeMap<Integer, Long>> bySplit = new HashMap<>();
        for (ChunkSummary c : chunks) {
            bySplit.computeIfAbsent(c.split(), k -> new TreeMap<>()).put(c.chunk(), c.lines());
        }
        bySplit.forEach((split, counts) -> {
            long[] first = new long[counts.lastKey() + 1];
            long acc = 0;
            for (Map.Entry<Integer, Long> c : counts.entrySet()) {
                first[c.getKey()] = acc;
                acc += c.getValue();
            }
            firstLine.put(split, first);
            lines.put(split, acc);
        });
    }

    /** 1-based line number of the row at {@code index} (0-based) in the chunk. */
    long line(int split, int chunk, long index) {
        return firstLine.get(split)[chunk] + index + 1;
    }

    /** Lines the split's file has (a CSV header included). */
    long lines(int split) {
        return lines.getOrDefault(split, 0L);
    }
}
