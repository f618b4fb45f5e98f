package dev.tessera.trainer;

import dev.tessera.model.ModelParameters;
import java.util.Arrays;

/**
 * The shared parameters' gradients a worker summed since its last step: each relation's operator, its
 * reciprocal (under dynamic relations) and each type's global embedding, with the Adagrad step that applies
 * and clears them. Only what a chunk touched is stepped.
 */
final class ParameterGradients {
    final float[][] relation;
    final float[][] reciprocal;
    final float[][] global;
    private final boolean[] relationTouched;
    private final boolean[] globalTouched;
    private final ModelParameters params;
    /** Parameters keep their values (see {@link #freeze}); the sums are still cleared. */
    private boolean frozen;

    ParameterGradients(ModelParameters params, int d) {
        this.params = params;
        int relations = params.relation.length;
        relation = new float[relations][];
        reciprocal = new float[relations][];
        relationTouched = new boolean[relations];
        for (int r = 0; r < relations; r++) {
            relation[r] = new float[params.relation[r].length];
            reciprocal[r] = new float[params.relation[r].length];
        }
        global = new float[params.global.length][];
        for (int t = 0; t < global.length; t++) {
            global[t] = new float[params.global[t] == null ? 0 : d];
        }
        globalTouched = new boolean[params.global.length];
    }

    void touchRelation(int r) {
        relationTouched[r] = true;
    }

    void touchGlobal(int type) {
        globalTouched[type] = true;
    }

    /** From now on steps leave relation parameters and global embeddings as they are. */
    void freeze() {
        frozen = true;
    }

    /** Applies the sums with row-wise Adagrad (relation parameters at {@code relationLr}) and clears them. */
    void step(float lr, float relationLr) {
        for (int r = 0; r < relationTouched.length; r++) {
            if (relationTouched[r]) {
                relationTouched[r] = false;
                if (!frozen) {
                    RowAdagrad.updateElementwise(params.relation[r], params.relationState[r], relation[r], relationLr);
                }
                Arrays.fill(relation[r], 0f);
                if (params.dynamicRelations()) {
                    if (!frozen) {
                        RowAdagrad.updateElementwise(
                                params.reciprocal[r], params.reciprocalState[r], reciprocal[r], relationLr);
                    }
                    Arrays.fill(reciprocal[r], 0f);
                }
            }
        }
        for (int t = 0; t < globalTouched.length; t++) {
            if (globalTouched[t]) {
                globalTouched[t] = false;
                if (!frozen) {
                    RowAdagrad.updateElementwise(params.global[t], params.globalState[t], global[t], lr);
                }
                Arrays.fill(global[t], 0f);
            }
        }
    }
}
