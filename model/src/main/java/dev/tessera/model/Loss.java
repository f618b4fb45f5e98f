package dev.tessera.model;

/**
 * A loss over positive scores {@code pos[n]} and negative scores {@code neg[n×m]}, each positive weighted
 * (relation weight × edge weight), computed together with its gradients (PBG's loss functions).
 */
public interface Loss {
    /** Returns the loss; overwrites {@code dPos} and {@code dNeg} with its gradients. */
    double compute(float[] pos, float[] neg, float[] weight, int n, int m, float[] dPos, float[] dNeg);

    static Loss of(String name, double margin) {
        return switch (name) {
            case "ranking" -> new Losses.Ranking((float) margin);
            case "logistic" -> new Losses.Logistic();
            case "softmax" -> new Losses.Softmax();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'");
        };
    }
}
