package dev.tessera.model;

import dev.tessera.core.config.LossName;

/**
 * A loss over positive scores {@code pos[n]} and negative scores {@code neg[n×m]}, each positive weighted
 * (relation weight × edge weight), computed together with its gradients (PBG's loss functions). A loss may keep
 * scratch rows between calls: one instance per thread.
 */
public interface Loss {
    /** Returns the loss; overwrites {@code dPos} and {@code dNeg} with its gradients. */
    double compute(float[] pos, float[] neg, float[] weight, int n, int m, float[] dPos, float[] dNeg);

    /**
     * Whether a positive's loss is {@code w · (N − pos)}, N a normaliser of its whole row of scores, the positive's
     * own included (softmax's log-sum-exp): positives sharing a row then differ only in that last term, and a
     * trainer can compute the row once for all of them.
     */
    default boolean normalisesRow() {
        return false;
    }

    /** The named loss; {@code margin} is the ranking loss's and unused by the others. */
    static Loss of(LossName name, double margin) {
        return of(name, margin, 1);
    }

    /**
     * The named loss; {@code margin} is the ranking loss's margin and self_adversarial's γ, {@code temperature}
     * self_adversarial's α; the others use neither.
     */
    static Loss of(LossName name, double margin, double temperature) {
        return switch (name) {
            case RANKING -> new Losses.Ranking((float) margin);
            case LOGISTIC -> new Losses.Logistic();
            case SOFTMAX -> new Losses.Softmax();
            case SELF_ADVERSARIAL -> new Losses.SelfAdversarial((float) margin, (float) temperature);
        };
    }
}
