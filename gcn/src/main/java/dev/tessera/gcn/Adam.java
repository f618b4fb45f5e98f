package dev.tessera.gcn;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba) with L2 weight decay added to the gradient, as Kipf &amp; Welling's GCN and
 * PyTorch's {@code Adam(weight_decay=…)} do (not AdamW's decoupled form), so published settings carry over.
 */
public final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final double learningRate;
    private final Map<Parameter, float[][]> moments = new IdentityHashMap<>();
    private int step;

    public Adam(double learningRate) {
        this.learningRate = learningRate;
    }

    /** Starts a step: bias corrections move on once per step, however many parameters it updates. */
    public void beginStep() {
        step++;
    }

    /** Updates {@code p} from its gradient plus {@code weightDecay · p}, then zeroes the gradient. */
    public void update(Parameter p, double weightDecay) {
        float[][] m =
                moments.computeIfAbsent(p, k -> new float[][] {new float[k.values.length], new float[k.values.length]});
        float[] first = m[0];
        float[] second = m[1];
        double correction1 = 1 - Math.pow(BETA1, step);
        double correction2 = 1 - Math.pow(BETA2, step);
        double stepSize = learningRate * Math.sqrt(correction2) / correction1;
        float[] w = p.values;
        float[] g = p.gradient;
        for (int i = 0; i < w.length; i++) {
            double grad = g[i] + weightDecay * w[i];
            first[i] = (float) (BETA1 * first[i] + (1 - BETA1) * grad);
            second[i] = (float) (BETA2 * second[i] + (1 - BETA2) * grad * grad);
            w[i] -= (float) (stepSize * first[i] / (Math.sqrt(second[i]) + EPSILON * Math.sqrt(correction2)));
        }
        p.zeroGradient();
    }
}
