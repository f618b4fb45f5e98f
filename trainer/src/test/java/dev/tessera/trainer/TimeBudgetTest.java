package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.config.ValidationSettings;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeBudgetTest {
    @Test
    void decidesAtValidationsWhetherTheNextStretchAndItsValidationFit() {
        // Epochs of 60 s, a validation of 30 s every 2 epochs: each stretch costs 150 s; budget 10 minutes.
        TimeBudget budget = new TimeBudget(new ValidationSettings(2, 1, 1, 0, true, 10));
        List<Map<String, Object>> history = new ArrayList<>();
        for (int epoch = 1; epoch <= 8; epoch++) {
            history.add(epoch(60, epoch % 2 == 0 ? 30.0 : null));
            boolean spent = budget.spent(history);
            // After 6 epochs 450 s are used and the next stretch ends at exactly 600 s: it still fits.
            assertEquals(epoch == 8, spent, "after epoch " + epoch);
        }
        assertEquals(
                "10.0 of the 10.0-minute time budget used; the next 2 epochs and a validation would take about 2.5"
                        + " more",
                budget.explain(history));
    }

    @Test
    void withoutValidationDecidesAfterEveryEpoch() {
        TimeBudget budget = new TimeBudget(new ValidationSettings(0, 1, 1, 0, true, 5));
        List<Map<String, Object>> history = new ArrayList<>(List.of(epoch(100, null), epoch(100, null)));
        assertFalse(budget.spent(history), "200 s used, the next epoch ends at 300 s");
        history.add(epoch(100, null));
        assertTrue(budget.spent(history));
    }

    @Test
    void noBudgetNeverStops() {
        TimeBudget budget = new TimeBudget(new ValidationSettings(1, 1, 1, 0, true));
        assertFalse(budget.spent(List.of(epoch(1e9, 1e9))));
    }

    @Test
    void aRunStopsWithinItsBudgetAndAResumedOneTrainsNoFurther(@TempDir Path tmp) {
        // A budget of 6 ms: the first epoch and its validation use it all, whatever the machine.
        TesseraConfig config = SmallGraph.build(
                SmallGraph.data("kg/nations"),
                tmp.resolve("g"),
                1,
                "operator: complex_diagonal\ndimension: 20\ncomparator: dot\nloss_fn: softmax\nlr: 0.1\n"
                        + "workers: 1\neval_fraction: 0\nvalidate_every: 1\nnum_epochs: 10\n"
                        + "time_budget_minutes: 0.0001\n");
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openOrCreate(tmp.resolve("ck"), g.meta().fingerprint())) {
            Trainer.Result first = new Trainer(g, ck, config, new OpenBlasBackend()).train(new TrainingListener() {});
            assertEquals(1, first.epochs());
            Map<String, Object> record = ck.latest().orElseThrow().history().get(0);
            assertTrue(((Number) record.get(TimeBudget.VALID_SECONDS)).doubleValue() > 0, record.toString());
            assertTrue(record.containsKey(ValidationSchedule.VALID_MRR), record.toString());

            Trainer.Result resumed = new Trainer(g, ck, config, new OpenBlasBackend()).train(new TrainingListener() {});
            assertEquals(1, resumed.epochs());
            assertEquals(1, ck.latest().orElseThrow().epochs());
            // Without the budget the same checkpoint trains on.
            Trainer.Result unbounded = new Trainer(
                            g, ck, config.with("time_budget_minutes", 0.0).withNumEpochs(2), new OpenBlasBackend())
                    .train(new TrainingListener() {});
            assertEquals(2, unbounded.epochs());
        }
    }

    private static Map<String, Object> epoch(double seconds, Double validSeconds) {
        Map<String, Object> record = new HashMap<>();
        record.put("seconds", seconds);
        if (validSeconds != null) {
            record.put(TimeBudget.VALID_SECONDS, validSeconds);
        }
        return record;
    }
}
