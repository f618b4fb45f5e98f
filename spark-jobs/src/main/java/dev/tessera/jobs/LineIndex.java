package dev.tessera.jobs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * File line numbers from (split, chunk, index in chunk): the chunks' line counts, summed in chunk order,
 * give each chunk's first line. Built from the summary rows {@link EdgeInputReader} emits per chunk.
 */
final class LineIndex {
    private final Map<Integer, long[]> firstLine = new HashMap<>();
    private final Map<Integer, Long> lines = new HashMap<>();
    private final Map<Integer, Long> maxChunkLines = new HashMap<>();

    /** @param summaries rows (split, chunk, lineCount) */
    LineIndex(List<Row> summaries) {
        Map<Integer, TreeMap<Integer, Long>> bySplit = new HashMap<>();
        for (Row r : summaries) {
            bySplit.computeIfAbsent(r.getInt(0), k -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
        }
        bySplit.forEach((split, chunks) -> {
            long[] first = new long[chunks.lastKey() + 1];
            long acc = 0;
            long max = 0;
            for (Map.Entry<Integer, Long> c : chunks.entrySet()) {
                first[c.getKey()] = acc;
                acc += c.getValue();
                max = Math.max(max, c.getValue());
            }
            maxChunkLines.put(split, max);
            firstLine.put(split, first);
            lines.put(split, acc);
        });
    }

    /** 1-based line number of the row at {@code index} (0-based) in the chunk. */
    long line(int split, int chunk, long index) {
        return firstLine.get(split)[chunk] + index + 1;
    }

    int maxChunk(int split) {
        return firstLine.get(split).length - 1;
    }

    long maxChunkLines(int split) {
        return maxChunkLines.get(split);
    }

    /** Lines the split's file has (a CSV header included). */
    long lines(int split) {
        return lines.getOrDefault(split, 0L);
    }
}
