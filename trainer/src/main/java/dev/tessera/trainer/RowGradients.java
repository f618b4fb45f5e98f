package dev.tessera.trainer;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Embedding gradients summed per distinct row until the next {@link #step}, which applies one row-wise
 * Adagrad step per row, as PBG's index_add followed by its optimizer step does. A row that appears several
 * times (a positive's entity drawn again as a negative, an entity of two positives, one row on both sides)
 * gets one step on its summed gradient; several steps would count it repeatedly in its accumulator. One
 * per worker.
 *
 * <p>Unless it sums across chunks, a row's first gradient is not copied: its slot points into the caller's
 * array, so the arrays handed to {@code add} must keep their values until {@link #step} (the chunk trainer's
 * scratch does when it steps after every chunk). Only a row that comes again gets a copy in this object's own
 * buffer, where the sum grows. Copying every candidate's gradient (WordNet ComplEx: 1,100 candidates per side
 * and chunk) cost about 4% of edges/s.
 */
final class RowGradients {
    /** Rows touched ahead of their updates at a time: few enough that they and their gradients stay in L1. */
    private static final int TOUCH_BLOCK = 32;

    private final int d;
    /** Gradients are summed over several chunks, whose scratch the next chunk overwrites: copy every row. */
    private final boolean acrossChunks;

    private final Map<EmbeddingPartition, DuplicateRows> slotsOf = new IdentityHashMap<>();
    /** Cleared tables for the next step's partitions (the map itself forgets partitions at each step). */
    private final ArrayDeque<DuplicateRows> spare = new ArrayDeque<>();
    /** Sums of rows that came more than once, at their slot's offset. */
    private float[] gradients;
    /** Where each slot's gradient is: the caller's array (a row's first gradient) or {@link #gradients}. */
    private float[][] source;

    private int[] sourceOffset;
    private int[] rows;
    private EmbeddingPartition[] owners;
    private int size;
    /** Where the cache-warming loads' sum goes, so the JIT cannot drop them. */
    private float touched;

    RowGradients(int d, boolean acrossChunks) {
        this.d = d;
        this.acrossChunks = acrossChunks;
        gradients = new float[1024 * d];
        source = new float[1024][];
        sourceOffset = new int[1024];
        rows = new int[1024];
        owners = new EmbeddingPartition[1024];
    }

    /**
     * Adds {@code count} gradient rows {@code g[j·d, (j+1)·d)} for rows {@code rowsOf[rowsFrom + j]} of
     * {@code p}; for a featurized partition, to the rows of its features in the type's feature table.
     */
    void add(EmbeddingPartition p, int[] rowsOf, int rowsFrom, float[] g, int count) {
        DuplicateRows slots = p.features == null ? slotsOf(p) : null;
        for (int j = 0; j < count; j++) {
            // A zero gradient's Adagrad step changes neither row nor accumulator (nor does max_norm's clip,
            // which rows get when they change): skipping it saves the row's cache misses. With the ranking
            // loss most candidates clear the margin, so most rows are skipped.
            if (Rows.isZero(g, j, d)) {
                continue;
            }
            if (slots == null) {
                p.features.addGradient(this, p.featureTable, rowsOf[rowsFrom + j], g, j * d);
            } else {
                add(slots, p, rowsOf[rowsFrom + j], g, j * d, 1f);
            }
        }
    }

    /** Adds {@code scale · g[gOff, gOff+d)} to row {@code row} of {@code p}. */
    void add(EmbeddingPartition p, int row, float[] g, int gOff, float scale) {
        add(slotsOf(p), p, row, g, gOff, scale);
    }

    private DuplicateRows slotsOf(EmbeddingPartition p) {
        return slotsOf.computeIfAbsent(p, k -> spare.isEmpty() ? new DuplicateRows() : spare.pop());
    }

    private void add(DuplicateRows slots, EmbeddingPartition p, int row, float[] g, int gOff, float scale) {
        int slot = slots.first(row, size);
        if (slot == size) {
            if (size == rows.length) {
                grow();
            }
            rows[size] = row;
            owners[size] = p;
            if (scale == 1f && !acrossChunks) {
                source[size] = g;
                sourceOffset[size] = gOff;
            } else {
                int o = size * d;
                for (int k = 0; k < d; k++) {
                    gradients[o + k] = scale * g[gOff + k];
                }
                own(size);
            }
            size++;
        } else {
            int o = slot * d;
            if (source[slot] != gradients) {
                System.arraycopy(source[slot], sourceOffset[slot], gradients, o, d);
                own(slot);
            }
            for (int k = 0; k < d; k++) {
                gradients[o + k] += scale * g[gOff + k];
            }
        }
    }

    private void own(int slot) {
        source[slot] = gradients;
        sourceOffset[slot] = slot * d;
    }

    /** Whether gradients were added since the last {@link #step}. */
    boolean pending() {
        return size > 0;
    }

    /** Applies every summed row and starts over. */
    void step(float lr, float maxNorm) {
        // The rows were read at their chunks' gathers but have left the cache since. A pass that only loads
        // from a block of rows (and their accumulators) issues all their misses at once; the update loop then
        // finds the block in L1. Blocks, not the whole step: a chunk's rows outgrow L1 and L2.
        for (int start = 0; start < size; start += TOUCH_BLOCK) {
            int end = Math.min(size, start + TOUCH_BLOCK);
            for (int s = start; s < end; s++) {
                EmbeddingPartition p = owners[s];
                touched += RowAdagrad.touchRow(p.embeddings, rows[s], d) + p.state[rows[s]];
            }
            for (int s = start; s < end; s++) {
                EmbeddingPartition p = owners[s];
                if (rows[s] < p.frozenRows) {
                    continue;
                }
                RowAdagrad.update(p.embeddings, p.state, rows[s], source[s], sourceOffset[s], d, lr, maxNorm);
            }
        }
        for (DuplicateRows slots : slotsOf.values()) {
            slots.clear();
            spare.push(slots);
        }
        slotsOf.clear();
        Arrays.fill(owners, 0, size, null);
        Arrays.fill(source, 0, size, null);
        size = 0;
    }

    private void grow() {
        rows = Arrays.copyOf(rows, rows.length * 2);
        owners = Arrays.copyOf(owners, owners.length * 2);
        float[] old = gradients;
        gradients = Arrays.copyOf(gradients, gradients.length * 2);
        source = Arrays.copyOf(source, source.length * 2);
        sourceOffset = Arrays.copyOf(sourceOffset, sourceOffset.length * 2);
        for (int s = 0; s < size; s++) {
            if (source[s] == old) {
                source[s] = gradients;
            }
        }
    }
}
