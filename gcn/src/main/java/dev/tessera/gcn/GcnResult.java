package dev.tessera.gcn;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a GCN training run reports: accuracies of the final model, time, and the per-epoch curve. */
public record GcnResult(
        int epochs,
        double seconds,
        double epochMs,
        double finalLoss,
        double trainAccuracy,
        double validAccuracy,
        double testAccuracy,
        double[] lossPerEpoch,
        double[] validAccuracyPerEpoch,
        long peakRssMb) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_accuracy", testAccuracy);
        m.put("val_accuracy", validAccuracy);
        m.put("train_accuracy", trainAccuracy);
        m.put("epochs", epochs);
        m.put("seconds", seconds);
        m.put("epoch_ms", epochMs);
        m.put("final_loss", finalLoss);
        m.put("peak_rss_mb", peakRssMb);
        return m;
    }
}
