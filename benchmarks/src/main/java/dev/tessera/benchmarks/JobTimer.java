package dev.tessera.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/** Prints every Spark job's duration on stderr, so a benchmark shows where its time goes. */
final class JobTimer extends SparkListener {
    private final Map<Integer, Long> started = new ConcurrentHashMap<>();
    private final Map<Integer, String> names = new ConcurrentHashMap<>();

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        started.put(start.jobId(), start.time());
        String callSite = start.properties() == null ? "" : start.properties().getProperty("callSite.short", "");
        names.put(start.jobId(), callSite + " (" + start.stageInfos().size() + " stages)");
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        Long t = started.remove(end.jobId());
        if (t != null) {
            System.err.printf("[job %d] %.1fs %s%n", end.jobId(), (end.time() - t) / 1000.0, names.remove(end.jobId()));
        }
    }
}
