package dev.tessera.trainer;

import dev.tessera.model.ModelParameters;

/**
 * Positives through the operators of their own relations: rows {@code [0, n)} of a trainer's scratch hold
 * positives {@code rel[from .. from+n)}, and each run of adjacent positives of one relation passes through that
 * relation's operator at once (chunks mix relations only under dynamic relations; batches come grouped).
 */
final class RelationRuns {
    private RelationRuns() {}

    /** End of the run of positives from slot {@code a} on that share its relation. */
    static int end(int[] rel, int from, int a, int n) {
        int b = a + 1;
        while (b < n && rel[from + b] == rel[from + a]) {
            b++;
        }
        return b;
    }

    /** {@code y_i = op_r(x_i)} for rows {@code i < n}, with each relation's parameters from {@code opParams}. */
    static void forward(
            ModelParameters params, float[][] opParams, int[] rel, int from, int n, float[] x, float[] y, int d) {
        for (int a = 0, b; a < n; a = b) {
            b = end(rel, from, a, n);
            int r = rel[from + a];
            params.operators[r].forward(opParams[r], x, y, a, b, d);
        }
    }

    /**
     * Backward of {@link #forward}: rows of {@code dy} into {@code dx}, and each relation's parameter gradient,
     * with N3's, added to {@code sums[r]} (marked touched in {@code gradients}); returns N3's value. Row i stands
     * for {@code positives[i]} positives in N3's count (null: one each), as a k_vs_all query scored once for
     * several edges does.
     */
    static double backward(
            ModelParameters params,
            float[][] opParams,
            float[][] sums,
            ParameterGradients gradients,
            N3Regularizer n3,
            int[] rel,
            int from,
            int n,
            float[] x,
            float[] dy,
            float[] dx,
            int d,
            int[] positives) {
        double value = 0;
        for (int a = 0, b; a < n; a = b) {
            b = end(rel, from, a, n);
            int r = rel[from + a];
            params.operators[r].backward(opParams[r], x, dy, dx, sums[r], a, b, d);
            int count = b - a;
            if (positives != null) {
                count = 0;
                for (int i = a; i < b; i++) {
                    count += positives[i];
                }
            }
            value += n3.params(opParams[r], count, sums[r]);
            gradients.touchRelation(r);
        }
        return value;
    }
}
