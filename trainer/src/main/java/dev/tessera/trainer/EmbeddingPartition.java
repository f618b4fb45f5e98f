package dev.tessera.trainer;

import java.util.SplittableRandom;

/**
 * One (entity type, partition) of embeddings in memory: {@code rows × d} floats and one row-wise Adagrad
 * accumulator per row, at the start of arrays that may be longer (arrays are recycled between partitions
 * of a type, so swapping does not churn the heap). Hogwild workers update it without locks.
 */
public final class EmbeddingPartition {
    public final int type;
    public final int part;
    public final int rows;
    public final int d;
    public final float[] embeddings;
    public final float[] state;
    /**
     * Rows below this take no optimizer step: adding entities to a trained model trains only the rows
     * appended after the existing ones, which stay as trained (0: every row trains).
     */
    public int frozenRows;
    /**
     * For a featurized type: each entity's features, whose rows in {@link #featureTable} make its embedding
     * (such a partition has no rows of its own: its arrays are empty); null otherwise.
     */
    public final FeaturizedRows features;
    /** The feature table of a featurized type, shared by its partitions; null otherwise. */
    public final EmbeddingPartition featureTable;
    /** Degree distribution for degree-weighted negatives; null when none are drawn. */
    public dev.tessera.sampler.AliasTable degrees;

    public EmbeddingPartition(int type, int part, int rows, int d) {
        this(type, part, rows, d, new float[rows * d], new float[rows]);
    }

    /** A partition with room for {@code capacityRows} rows, so its arrays can later hold any partition of the type. */
    public static EmbeddingPartition withCapacity(int type, int part, int rows, int d, int capacityRows) {
        return new EmbeddingPartition(
                type,
                part,
                rows,
                d,
                new float[Math.max(rows, capacityRows) * d],
                new float[Math.max(rows, capacityRows)]);
    }

    /** A partition in the arrays of {@code recycled} (which must be large enough), contents undefined. */
    public EmbeddingPartition(int type, int part, int rows, int d, EmbeddingPartition recycled) {
        this(type, part, rows, d, recycled.embeddings, recycled.state);
    }

    private EmbeddingPartition(int type, int part, int rows, int d, float[] embeddings, float[] state) {
        this(type, part, rows, d, embeddings, state, null, null);
        if (embeddings.length < (long) rows * d || state.length < rows) {
            throw new IllegalArgumentException("arrays too small for " + rows + " rows of " + d);
        }
    }

    private EmbeddingPartition(
            int type,
            int part,
            int rows,
            int d,
            float[] embeddings,
            float[] state,
            FeaturizedRows features,
            EmbeddingPartition featureTable) {
        this.type = type;
        this.part = part;
        this.rows = rows;
        this.d = d;
        this.embeddings = embeddings;
        this.state = state;
        this.features = features;
        this.featureTable = featureTable;
    }

    /** A partition of a featurized type: its entities' embeddings are means of rows of {@code table}. */
    public static EmbeddingPartition featurized(
            int type, int part, int rows, FeaturizedRows features, EmbeddingPartition table) {
        return new EmbeddingPartition(type, part, rows, table.d, new float[0], new float[0], features, table);
    }

    /** Whether this partition's arrays can hold {@code rows} rows of d. */
    public boolean fits(int rows) {
        return state.length >= rows && embeddings.length >= (long) rows * d;
    }

    /** Gaussian rows of standard deviation {@code scale}, as PBG initialises, from a seed per partition. */
    public void initialize(double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ ((long) type << 40) ^ ((long) part << 20));
        fillGaussian(embeddings, 0, rows * d, scale, r);
        java.util.Arrays.fill(state, 0, rows, 0f);
    }

    /**
     * {@code out[from, to)} drawn from a normal distribution of standard deviation {@code scale}, by
     * Marsaglia's polar method: two values per accepted pair, from a log and a square root (no cosine). A
     * fresh 112k × 100 partition took 0.4 s with one Box-Muller draw per value; this is 3-4× faster.
     */
    static void fillGaussian(float[] out, int from, int to, double scale, SplittableRandom r) {
        for (int i = from; i < to; ) {
            double u;
            double v;
            double q;
            do {
                u = 2 * r.nextDouble() - 1;
                v = 2 * r.nextDouble() - 1;
                q = u * u + v * v;
            } while (q >= 1 || q == 0);
            double f = scale * Math.sqrt(-2 * Math.log(q) / q);
            out[i++] = (float) (u * f);
            if (i < to) {
                out[i++] = (float) (v * f);
            }
        }
    }

    /**
     * Copies rows {@code rows[from..from+n)} into {@code out}, one after another (a featurized type's rows are
     * computed from its feature table), adding {@code global} to each when it is not null.
     */
    void gather(int[] rows, int from, int n, float[] global, float[] out) {
        for (int i = 0; i < n; i++) {
            if (features != null) {
                features.embed(featureTable.embeddings, rows[from + i], d, out, i * d);
            } else {
                System.arraycopy(embeddings, rows[from + i] * d, out, i * d, d);
            }
            if (global != null) {
                for (int k = 0; k < d; k++) {
                    out[i * d + k] += global[k];
                }
            }
        }
    }
}
