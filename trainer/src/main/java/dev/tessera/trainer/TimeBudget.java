package dev.tessera.trainer;

import dev.tessera.core.config.ValidationSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code time_budget_minutes}: whether the next stretch of training still fits the budget. A stretch is the
 * epochs up to and including the next validation (one epoch without validation), costed from the mean epoch
 * and validation times so far, and the decision is taken only where a stretch ends, so a run stopped by its
 * budget has validated its last epoch and {@code keep_best} can weigh it. Like {@link ValidationSchedule} it
 * is a function of the run's history (each epoch's {@code seconds} and, where it was validated, {@link
 * #VALID_SECONDS}), so a resumed run goes on with what the interrupted one left.
 */
final class TimeBudget {
    /** Seconds the validation after an epoch took, in that epoch's history record. */
    static final String VALID_SECONDS = "valid_seconds";

    private final double budgetSeconds;
    private final int stretch;

    TimeBudget(ValidationSettings settings) {
        this.budgetSeconds = settings.timeBudgetMinutes() * 60;
        this.stretch = settings.enabled() ? settings.every() : 1;
    }

    /** Whether the run with this history should stop rather than train another stretch. */
    boolean spent(List<Map<String, Object>> history) {
        if (budgetSeconds <= 0 || history.isEmpty() || history.size() % stretch != 0) {
            return false;
        }
        return used(history) + nextStretch(history) > budgetSeconds;
    }

    /** Why {@link #spent} is true, for the log. */
    String explain(List<Map<String, Object>> history) {
        return String.format(
                Locale.ROOT,
                "%.1f of the %.1f-minute time budget used; the next %d epoch%s would take about %.1f more",
                used(history) / 60,
                budgetSeconds / 60,
                stretch,
                stretch == 1 ? "" : "s and a validation",
                nextStretch(history) / 60);
    }

    private static double used(List<Map<String, Object>> history) {
        double seconds = 0;
        for (Map<String, Object> epoch : history) {
            seconds += number(epoch, "seconds") + number(epoch, VALID_SECONDS);
        }
        return seconds;
    }

    private double nextStretch(List<Map<String, Object>> history) {
        double training = 0;
        double validating = 0;
        int validations = 0;
        for (Map<String, Object> epoch : history) {
            training += number(epoch, "seconds");
            if (epoch.get(VALID_SECONDS) instanceof Number s) {
                validating += s.doubleValue();
                validations++;
            }
        }
        return stretch * training / history.size() + (validations == 0 ? 0 : validating / validations);
    }

    private static double number(Map<String, Object> epoch, String key) {
        return epoch.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
