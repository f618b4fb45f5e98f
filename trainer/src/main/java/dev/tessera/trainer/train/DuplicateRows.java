package dev.tessera.trainer.train;

import java.util.Arrays;

/**
 * Finds repeated rows among a chunk's candidates (a positive's entity drawn again as a negative, an entity
 * in two positives, or, when both sides share a partition, one row on both sides), so each row gets one
 * Adagrad step on its summed gradient, as PBG's {@code index_add} followed by one optimizer step does: two
 * steps would count the row twice in its accumulator and overshoot. An open-addressing table of row → first
 * entry, cleared per chunk; one instance per worker.
 */
final class DuplicateRows {
    private int[] rows = new int[64];
    private int[] entries = new int[64];
    private int mask = 63;

    /** Forgets every row; the table is sized for {@code expected} entries. */
    void clear(int expected) {
        int capacity = Integer.highestOneBit(Math.max(64, expected * 2 - 1)) << 1;
        if (capacity > rows.length) {
            rows = new int[capacity];
            entries = new int[capacity];
            mask = capacity - 1;
        }
        Arrays.fill(rows, -1);
    }

    /** The entry that first had {@code row}: {@code entry} itself if the row is new (it is then recorded). */
    int first(int row, int entry) {
        int h = (row * 0x9E3779B1) >>> 7 & mask;
        while (rows[h] != -1) {
            if (rows[h] == row) {
                return entries[h];
            }
            h = (h + 1) & mask;
        }
        rows[h] = row;
        entries[h] = entry;
        return entry;
    }
}
