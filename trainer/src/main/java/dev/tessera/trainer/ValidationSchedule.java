package dev.tessera.trainer;

import dev.tessera.core.config.ValidationSettings;
import java.util.List;
import java.util.Map;

/**
 * Reduce-on-plateau and early stopping on the valid split's MRR ({@code validate_every}, {@code lr_decay},
 * {@code lr_patience}, {@code early_stopping_patience}). Its state is a function of the validations recorded in
 * the run's history, so a resumed run goes on with the learning rate and the patience the interrupted one had.
 */
final class ValidationSchedule {
    static final String VALID_MRR = "valid_mrr";
    static final String LR = "lr";

    private final ValidationSettings settings;
    private double best = Double.NEGATIVE_INFINITY;
    /** Validations since the best one. */
    private int sinceBest;
    /** Validations without a new best since the best or the last decay, whichever came later. */
    private int sinceChange;

    private double lrScale = 1;

    ValidationSchedule(ValidationSettings settings, List<Map<String, Object>> history) {
        this.settings = settings;
        for (Map<String, Object> epoch : history) {
            if (epoch.get(VALID_MRR) instanceof Number mrr) {
                observe(mrr.doubleValue());
            }
        }
    }

    /** Whether the epoch of index {@code epoch} (from 0) ends with a validation. */
    boolean due(int epoch) {
        return settings.enabled() && (epoch + 1) % settings.every() == 0;
    }

    /**
     * Records the validation ending an epoch into its history record (with the learning rate it trained at);
     * returns whether it is the best so far.
     */
    boolean record(Map<String, Object> epochRecord, double mrr, double lr) {
        epochRecord.put(VALID_MRR, mrr);
        epochRecord.put(LR, lr * lrScale);
        return observe(mrr);
    }

    private boolean observe(double mrr) {
        if (mrr > best) {
            best = mrr;
            sinceBest = 0;
            sinceChange = 0;
            return true;
        }
        sinceBest++;
        sinceChange++;
        if (settings.lrDecay() < 1 && sinceChange >= settings.lrPatience()) {
            lrScale *= settings.lrDecay();
            sinceChange = 0;
        }
        return false;
    }

    /** What the configured learning rates are multiplied by from now on. */
    double lrScale() {
        return lrScale;
    }

    double best() {
        return best;
    }

    /** Whether early stopping's patience has run out. */
    boolean stop() {
        return settings.stopPatience() > 0 && sinceBest >= settings.stopPatience();
    }
}
