package dev.tessera.gcn;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A sparse matrix in compressed sparse row form, and its products with dense row-major matrices (SpMM).
 * Products run in parallel over blocks of rows that hold about equal numbers of non-zeros, so one
 * high-degree row does not leave the other cores idle. Each output row is written by one task only,
 * hence no atomics; the transpose product multiplies by an explicit transpose, built once and kept.
 */
public final class CsrMatrix {
    /** Rows per parallel task are chosen so a task holds at least this many non-zeros. */
    private static final int MIN_NONZEROS_PER_TASK = 1 << 14;

    private final int rows;
    private final int cols;
    private final int[] rowStart;
    private final int[] colIndex;
    private final float[] values;
    private final int[] blockStart;
    private volatile CsrMatrix transpose;

    public CsrMatrix(int rows, int cols, int[] rowStart, int[] colIndex, float[] values) {
        if (rowStart.length != rows + 1
                || rowStart[0] != 0
                || colIndex.length != values.length
                || rowStart[rows] != values.length) {
            throw new IllegalArgumentException("inconsistent CSR arrays for a " + rows + "×" + cols + " matrix");
        }
        this.rows = rows;
        this.cols = cols;
        this.rowStart = rowStart;
        this.colIndex = colIndex;
        this.values = values;
        this.blockStart = balancedBlocks(rowStart, rows);
    }

    /**
     * Builds a matrix from coordinate triples; duplicate (row, col) entries are summed, as an adjacency
     * with a repeated edge counts it twice.
     */
    public static CsrMatrix fromCoordinates(int rows, int cols, int[] row, int[] col, float[] value) {
        int n = row.length;
        if (col.length != n || value.length != n) {
            throw new IllegalArgumentException("coordinate arrays differ in length");
        }
        int[] count = new int[rows + 1];
        for (int i = 0; i < n; i++) {
            if (row[i] < 0 || row[i] >= rows || col[i] < 0 || col[i] >= cols) {
                throw new IllegalArgumentException(
                        "entry (" + row[i] + ", " + col[i] + ") is outside a " + rows + "×" + cols + " matrix");
            }
            count[row[i] + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            count[r + 1] += count[r];
        }
        int[] next = Arrays.copyOf(count, rows);
        int[] cidx = new int[n];
        float[] vals = new float[n];
        for (int i = 0; i < n; i++) {
            int at = next[row[i]]++;
            cidx[at] = col[i];
            vals[at] = value[i];
        }
        return sortAndMerge(rows, cols, count, cidx, vals);
    }

    /** Sorts each row by column and sums entries of one column, compacting the arrays. */
    private static CsrMatrix sortAndMerge(int rows, int cols, int[] start, int[] cidx, float[] vals) {
        int[] outStart = new int[rows + 1];
        int w = 0;
        long[] packed = new long[0];
        float[] rowValues = new float[0];
        for (int r = 0; r < rows; r++) {
            int from = start[r];
            int len = start[r + 1] - from;
            if (packed.length < len) {
                packed = new long[Math.max(len, packed.length * 2)];
                rowValues = new float[packed.length];
            }
            for (int i = 0; i < len; i++) {
                // column in the high half, position within the row in the low half: a stable sort by column
                packed[i] = ((long) cidx[from + i] << 32) | i;
                rowValues[i] = vals[from + i];
            }
            Arrays.sort(packed, 0, len);
            int lastCol = -1;
            for (int i = 0; i < len; i++) {
                int c = (int) (packed[i] >>> 32);
                float v = rowValues[(int) packed[i]];
                if (c == lastCol) {
                    vals[w - 1] += v;
                } else {
                    cidx[w] = c;
                    vals[w] = v;
                    w++;
                    lastCol = c;
                }
            }
            outStart[r + 1] = w;
        }
        // Compacting in place is safe: w never passes the start of the row being read, whose values were copied.
        return new CsrMatrix(rows, cols, outStart, Arrays.copyOf(cidx, w), Arrays.copyOf(vals, w));
    }

    private static int[] balancedBlocks(int[] rowStart, int rows) {
        int nnz = rowStart[rows];
        int tasks = Math.max(1, Math.min(rows, nnz / MIN_NONZEROS_PER_TASK));
        tasks = Math.min(tasks, 8 * Runtime.getRuntime().availableProcessors());
        int[] blocks = new int[tasks + 1];
        int r = 0;
        for (int t = 1; t < tasks; t++) {
            long target = (long) nnz * t / tasks;
            while (r < rows && rowStart[r] < target) {
                r++;
            }
            blocks[t] = r;
        }
        blocks[tasks] = rows;
        return blocks;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nonZeros() {
        return values.length;
    }

    public int rowStart(int r) {
        return rowStart[r];
    }

    public int rowEnd(int r) {
        return rowStart[r + 1];
    }

    public int colAt(int i) {
        return colIndex[i];
    }

    public float valueAt(int i) {
        return values[i];
    }

    /** {@code out[rows×k] = this · dense[cols×k]} (overwritten), with the fastest kernel this JVM runs. */
    public void multiply(float[] dense, int k, float[] out) {
        multiply(dense, k, out, SpmmKernel.preferred());
    }

    /** {@code out[rows×k] = this · dense[cols×k]} (overwritten) with the given kernel. */
    public void multiply(float[] dense, int k, float[] out, SpmmKernel kernel) {
        checkOperands(dense, cols, k, out, rows);
        IntStream.range(0, blockStart.length - 1)
                .parallel()
                .forEach(b -> kernel.multiplyRows(
                        rowStart, colIndex, values, blockStart[b], blockStart[b + 1], dense, k, out));
    }

    /** {@code out[cols×k] = thisᵀ · dense[rows×k]} (overwritten), through the cached transpose. */
    public void transposeMultiply(float[] dense, int k, float[] out) {
        transpose().multiply(dense, k, out);
    }

    /** The transpose, built on first use and kept (backward passes need it every step). */
    public CsrMatrix transpose() {
        CsrMatrix t = transpose;
        if (t == null) {
            t = buildTranspose();
            t.transpose = this;
            transpose = t;
        }
        return t;
    }

    private CsrMatrix buildTranspose() {
        int[] start = new int[cols + 1];
        for (int c : colIndex) {
            start[c + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            start[c + 1] += start[c];
        }
        int[] next = Arrays.copyOf(start, cols);
        int[] tcol = new int[values.length];
        float[] tval = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int i = rowStart[r]; i < rowStart[r + 1]; i++) {
                int at = next[colIndex[i]]++;
                tcol[at] = r;
                tval[at] = values[i];
            }
        }
        return new CsrMatrix(cols, rows, start, tcol, tval);
    }

    /** Declares this matrix symmetric, so transpose products use it directly (the normalised adjacency). */
    CsrMatrix symmetric() {
        transpose = this;
        return this;
    }

    /** The same sparsity pattern with other values (e.g. after dropout), sharing the index arrays. */
    public CsrMatrix withValues(float[] newValues) {
        if (newValues.length != values.length) {
            throw new IllegalArgumentException("expected " + values.length + " values, got " + newValues.length);
        }
        return new CsrMatrix(rows, cols, rowStart, colIndex, newValues);
    }

    public float[] values() {
        return values;
    }

    /** Each row scaled to sum to one (rows that sum to zero are left as they are): Kipf &amp; Welling's feature preprocessing. */
    public CsrMatrix rowNormalized() {
        float[] v = values.clone();
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int i = rowStart[r]; i < rowStart[r + 1]; i++) {
                sum += v[i];
            }
            if (sum != 0) {
                for (int i = rowStart[r]; i < rowStart[r + 1]; i++) {
                    v[i] = (float) (v[i] / sum);
                }
            }
        }
        return withValues(v);
    }

    /** The dense row-major copy (tests and small matrices). */
    public float[] toDense() {
        float[] d = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int i = rowStart[r]; i < rowStart[r + 1]; i++) {
                d[r * cols + colIndex[i]] += values[i];
            }
        }
        return d;
    }

    private static void checkOperands(float[] dense, int denseRows, int k, float[] out, int outRows) {
        if (dense.length < (long) denseRows * k || out.length < (long) outRows * k) {
            throw new IllegalArgumentException(
                    "dense operand or output too small for " + denseRows + "×" + k + " / " + outRows + "×" + k);
        }
    }
}
