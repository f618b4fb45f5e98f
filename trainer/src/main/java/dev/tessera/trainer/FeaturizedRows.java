package dev.tessera.trainer;

import dev.tessera.storage.FeatureRow;
import dev.tessera.storage.FeatureStore;
import dev.tessera.storage.GraphStore;
import java.util.Arrays;

/**
 * The features of one partition of a featurized entity type (PBG's {@code featurized: true}): per entity,
 * its feature numbers and their weights scaled to sum to 1, so an entity's embedding is the weighted mean
 * of its features' rows in the type's feature table (the plain mean when every weight is 1, as PBG has it).
 * Gradients flow back the same way: each feature row gets the entity's gradient times its weight.
 */
public final class FeaturizedRows {
    private final int[] start;
    private final int[] features;
    private final float[] weights;

    private FeaturizedRows(int[] start, int[] features, float[] weights) {
        this.start = start;
        this.features = features;
        this.weights = weights;
    }

    /**
     * Reads the stored features of {@code rows} entities of a partition. Every entity needs at least one
     * feature, and weights must be positive and finite: the error names the entity.
     */
    public static FeaturizedRows load(GraphStore graph, int type, String typeName, int part, int rows) {
        int[] start = new int[rows + 1];
        int[][] cols = new int[rows][];
        float[][] vals = new float[rows][];
        new FeatureStore(graph).forEachRow(type, part, (FeatureRow row) -> {
            int offset = row.entity().offset();
            if (offset < rows) {
                cols[offset] = row.columns();
                vals[offset] = row.values();
            }
        });
        int nnz = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; cols[r] != null && i < cols[r].length; i++) {
                float w = vals[r][i];
                if (!(w >= 0) || Float.isInfinite(w)) {
                    throw new IllegalArgumentException("entity '" + graph.entityName(type, part, r) + "' of featurized "
                            + "type '" + typeName + "' has feature " + cols[r][i] + " with weight " + w
                            + "; weights of featurized entities must be positive");
                }
                nnz += w > 0 ? 1 : 0;
            }
            start[r + 1] = nnz;
            if (start[r + 1] == start[r]) {
                throw new IllegalArgumentException("entity '" + graph.entityName(type, part, r)
                        + "' of featurized type '"
                        + typeName + "' has no features in " + graph.dir() + "; every entity of a featurized type "
                        + "needs at least one");
            }
        }
        int[] features = new int[nnz];
        float[] weights = new float[nnz];
        for (int r = 0, j = 0; r < rows; r++) {
            double sum = 0;
            for (float w : vals[r]) {
                sum += w;
            }
            for (int i = 0; i < cols[r].length; i++) {
                if (vals[r][i] > 0) {
                    features[j] = cols[r][i];
                    weights[j++] = (float) (vals[r][i] / sum);
                }
            }
        }
        return new FeaturizedRows(start, features, weights);
    }

    /** From explicit lists (tests): entity r has {@code features[r]} with {@code weights[r]}, already scaled. */
    static FeaturizedRows of(int[][] features, float[][] weights) {
        int[] start = new int[features.length + 1];
        for (int r = 0; r < features.length; r++) {
            start[r + 1] = start[r] + features[r].length;
        }
        int[] f = new int[start[features.length]];
        float[] w = new float[f.length];
        for (int r = 0; r < features.length; r++) {
            System.arraycopy(features[r], 0, f, start[r], features[r].length);
            System.arraycopy(weights[r], 0, w, start[r], weights[r].length);
        }
        return new FeaturizedRows(start, f, w);
    }

    /** {@code out[outOff, outOff+d) = Σ weight · table[feature]} over entity {@code row}'s features. */
    public void embed(float[] table, int row, int d, float[] out, int outOff) {
        Arrays.fill(out, outOff, outOff + d, 0f);
        for (int j = start[row]; j < start[row + 1]; j++) {
            float w = weights[j];
            int o = features[j] * d;
            for (int k = 0; k < d; k++) {
                out[outOff + k] += w * table[o + k];
            }
        }
    }

    /** Entity {@code row}'s gradient {@code g[gOff, gOff+d)} spread over its features' rows of {@code table}. */
    void addGradient(RowGradients sums, EmbeddingPartition table, int row, float[] g, int gOff) {
        for (int j = start[row]; j < start[row + 1]; j++) {
            sums.add(table, features[j], g, gOff, weights[j]);
        }
    }

    /** Every entity's embedding, {@code rows × d}, into {@code out}. */
    public void embedAll(float[] table, int d, float[] out) {
        for (int r = 0; r + 1 < start.length; r++) {
            embed(table, r, d, out, r * d);
        }
    }
}
