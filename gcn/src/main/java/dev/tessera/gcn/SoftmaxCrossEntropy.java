package dev.tessera.gcn;

/** Mean softmax cross-entropy over the labelled nodes of a batch, and accuracy. */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /**
     * The mean loss over {@code rows} (indices into the logits' rows) with their {@code labels}; writes the
     * gradient with respect to every logit into {@code dLogits} (zero for rows not listed).
     */
    public static double loss(float[] logits, int classes, int[] rows, int[] labels, float[] dLogits) {
        java.util.Arrays.fill(dLogits, 0f);
        double total = 0;
        double inv = 1.0 / rows.length;
        double[] p = new double[classes];
        for (int i = 0; i < rows.length; i++) {
            int o = rows[i] * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = Math.exp(logits[o + c] - max);
                sum += p[c];
            }
            total += Math.log(sum) + max - logits[o + labels[i]];
            for (int c = 0; c < classes; c++) {
                double grad = p[c] / sum - (c == labels[i] ? 1 : 0);
                dLogits[o + c] += (float) (grad * inv);
            }
        }
        return total * inv;
    }

    /** The fraction of {@code rows} whose largest logit is their label. */
    public static double accuracy(float[] logits, int classes, int[] rows, int[] labels) {
        int correct = 0;
        for (int i = 0; i < rows.length; i++) {
            if (argmax(logits, rows[i] * classes, classes) == labels[i]) {
                correct++;
            }
        }
        return rows.length == 0 ? Double.NaN : (double) correct / rows.length;
    }

    static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (v[offset + c] > v[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}
