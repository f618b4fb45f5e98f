package dev.tessera.core.config;

/**
 * Validation during training and what it drives: the valid split's filtered MRR every {@code every} epochs (0:
 * never), the learning rates multiplied by {@code lrDecay} after {@code lrPatience} validations without a new
 * best, a stop after {@code stopPatience} such validations (0: never), and whether the run ends on its best
 * validated model ({@code keepBest}) or on its last epoch's.
 */
public record ValidationSettings(int every, double lrDecay, int lrPatience, int stopPatience, boolean keepBest) {
    public boolean enabled() {
        return every > 0;
    }
}
