package dev.tessera.core.config;

/**
 * Validation during training and what it drives: the valid split's filtered MRR every {@code every} epochs (0:
 * never), the learning rates multiplied by {@code lrDecay} after {@code lrPatience} validations without a new
 * best, a stop after {@code stopPatience} such validations (0: never), whether the run ends on its best
 * validated model ({@code keepBest}) or on its last epoch's, and a stop before the run's training and
 * validation time would pass {@code timeBudgetMinutes} (0: no budget).
 */
public record ValidationSettings(
        int every, double lrDecay, int lrPatience, int stopPatience, boolean keepBest, double timeBudgetMinutes) {
    /** Settings without a time budget. */
    public ValidationSettings(int every, double lrDecay, int lrPatience, int stopPatience, boolean keepBest) {
        this(every, lrDecay, lrPatience, stopPatience, keepBest, 0);
    }

    public boolean enabled() {
        return every > 0;
    }
}
