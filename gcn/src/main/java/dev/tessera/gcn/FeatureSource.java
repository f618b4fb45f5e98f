package dev.tessera.gcn;

import dev.tessera.storage.EntityRef;
import dev.tessera.storage.FeatureStore;
import java.util.ArrayList;
import java.util.List;

/** Gathers the input features of a mini-batch's nodes, as a dense row-major matrix. */
public interface FeatureSource {
    int dimension();

    /** {@code nodes.length × dimension()}, row i for node {@code nodes[i]}. */
    float[] rows(int[] nodes);

    /** Rows read from the graph store with one multi-get per batch: nothing is held per node of the graph. */
    static FeatureSource stored(FeatureStore store, NodeIndex index) {
        int dimension = store.require().dimension();
        return new FeatureSource() {
            @Override
            public int dimension() {
                return dimension;
            }

            @Override
            public float[] rows(int[] nodes) {
                List<EntityRef> refs = new ArrayList<>(nodes.length);
                for (int v : nodes) {
                    refs.add(index.entity(v));
                }
                return store.denseRows(refs, dimension);
            }
        };
    }

    /** Rows of an in-memory sparse matrix (small graphs and tests). */
    static FeatureSource of(CsrMatrix features) {
        return new FeatureSource() {
            @Override
            public int dimension() {
                return features.cols();
            }

            @Override
            public float[] rows(int[] nodes) {
                int d = features.cols();
                float[] out = new float[nodes.length * d];
                for (int i = 0; i < nodes.length; i++) {
                    for (int k = features.rowStart(nodes[i]); k < features.rowEnd(nodes[i]); k++) {
                        out[i * d + features.colAt(k)] += features.valueAt(k);
                    }
                }
                return out;
            }
        };
    }

    /** Each gathered row scaled to sum to one (rows summing to zero unchanged), as full-batch training does. */
    default FeatureSource rowNormalized() {
        FeatureSource raw = this;
        return new FeatureSource() {
            @Override
            public int dimension() {
                return raw.dimension();
            }

            @Override
            public float[] rows(int[] nodes) {
                float[] out = raw.rows(nodes);
                int d = raw.dimension();
                for (int i = 0; i < nodes.length; i++) {
                    double sum = 0;
                    for (int j = 0; j < d; j++) {
                        sum += out[i * d + j];
                    }
                    if (sum != 0) {
                        for (int j = 0; j < d; j++) {
                            out[i * d + j] = (float) (out[i * d + j] / sum);
                        }
                    }
                }
                return out;
            }
        };
    }
}
