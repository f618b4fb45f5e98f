package dev.tessera.trainer;

import java.util.Arrays;

/**
 * Row → slot, for rows of one partition: an open-addressing table (grown at half load) that tells the
 * accumulator of a batch's gradients where a row's sum lives. One instance per partition per worker.
 */
final class DuplicateRows {
    private int[] rows = new int[64];
    private int[] slots = new int[64];
    private int mask = 63;
    private int size;

    DuplicateRows() {
        Arrays.fill(rows, -1);
    }

    void clear() {
        Arrays.fill(rows, -1);
        size = 0;
    }

    /** The slot that first had {@code row}: {@code slot} itself if the row is new (it is then recorded). */
    int first(int row, int slot) {
        int h = hash(row);
        while (rows[h] != -1) {
            if (rows[h] == row) {
                return slots[h];
            }
            h = (h + 1) & mask;
        }
        rows[h] = row;
        slots[h] = slot;
        if (++size * 2 > rows.length) {
            grow();
        }
        return slot;
    }

    private int hash(int row) {
        return (row * 0x9E3779B1) >>> 7 & mask;
    }

    private void grow() {
        int[] oldRows = rows;
        int[] oldSlots = slots;
        rows = new int[oldRows.length * 2];
        slots = new int[oldRows.length * 2];
        mask = rows.length - 1;
        Arrays.fill(rows, -1);
        for (int i = 0; i < oldRows.length; i++) {
            if (oldRows[i] != -1) {
                int h = hash(oldRows[i]);
                while (rows[h] != -1) {
                    h = (h + 1) & mask;
                }
                rows[h] = oldRows[i];
                slots[h] = oldSlots[i];
            }
        }
    }
}
