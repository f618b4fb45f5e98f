package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ValidationSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationScheduleTest {
    @Test
    void decaysAfterPatienceAndStopsAfterItsOwn() {
        ValidationSchedule v = new ValidationSchedule(new ValidationSettings(2, 0.5, 2, 3, true), List.of());
        assertFalse(v.due(0));
        assertTrue(v.due(1));
        List<Map<String, Object>> history = new ArrayList<>();
        double[] mrr = {0.30, 0.40, 0.39, 0.38, 0.41, 0.41, 0.40, 0.40};
        double[] lrAfter = {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25};
        boolean[] stopAfter = {false, false, false, false, false, false, false, true};
        for (int i = 0; i < mrr.length; i++) {
            Map<String, Object> epoch = new LinkedHashMap<>();
            v.record(epoch, mrr[i], 0.1);
            history.add(epoch);
            assertEquals(0.1 * (i == 0 ? 1 : lrAfter[i - 1]), (double) epoch.get("lr"), 1e-12, "lr of " + i);
            assertEquals(lrAfter[i], v.lrScale(), 1e-12, "scale after " + i);
            assertEquals(stopAfter[i], v.stop(), "stop after " + i);
        }
        assertEquals(0.41, v.best(), 1e-12);
        // A resumed run replays the history into the same state.
        ValidationSchedule resumed = new ValidationSchedule(new ValidationSettings(2, 0.5, 2, 3, true), history);
        assertEquals(0.25, resumed.lrScale(), 1e-12);
        assertTrue(resumed.stop());
    }

    @Test
    void withoutDecayOrPatienceNothingChanges() {
        ValidationSchedule v = new ValidationSchedule(new ValidationSettings(1, 1, 1, 0, true), List.of());
        for (int i = 0; i < 5; i++) {
            v.record(new LinkedHashMap<>(), 0.5 - i * 0.01, 0.1);
        }
        assertEquals(1, v.lrScale());
        assertFalse(v.stop());
        assertFalse(new ValidationSchedule(new ValidationSettings(0, 0.5, 1, 1, true), List.of()).due(0));
    }
}
