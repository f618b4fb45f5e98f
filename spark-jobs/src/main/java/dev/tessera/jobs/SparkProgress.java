package dev.tessera.jobs;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.sql.SparkSession;

/**
 * A progress line on stderr while a Spark job runs: the job's current phase, the running stages' finished
 * and total tasks with their rate and an ETA, and the elapsed time. On a terminal the line redraws in place;
 * otherwise a line is printed every few seconds, so logs stay readable.
 */
public final class SparkProgress implements AutoCloseable {
    private final JavaSparkStatusTracker tracker;
    private final PrintStream out;
    private final boolean enabled;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile String phase = "starting";
    private volatile long phaseStart = System.nanoTime();
    private volatile boolean running = true;
    private long lastPrinted;

    public SparkProgress(SparkSession spark, PrintStream out, boolean enabled) {
        this.tracker = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).statusTracker();
        this.out = out;
        this.enabled = enabled;
        this.terminal = System.console() != null;
        this.thread = new Thread(this::loop, "tessera-progress");
        thread.setDaemon(true);
        if (enabled) {
            thread.start();
        }
    }

    /**
     * Progress on {@code out}, or, when it is null, progress that only tracks phases (jobs under spark-submit,
     * whose driver log shows the stages).
     */
    public static SparkProgress on(SparkSession spark, PrintStream out) {
        return new SparkProgress(spark, out, out != null);
    }

    public void phase(String name) {
        this.phase = name;
        this.phaseStart = System.nanoTime();
        if (enabled && !terminal) {
            out.printf(Locale.ROOT, "[tessera] %s (%.0fs)%n", name, seconds());
        }
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            int done = 0;
            int total = 0;
            for (int id : tracker.getActiveStageIds()) {
                SparkStageInfo s = tracker.getStageInfo(id);
                if (s != null) {
                    done += s.numCompletedTasks();
                    total += s.numTasks();
                }
            }
            String tasks = total == 0
                    ? ""
                    : String.format(Locale.ROOT, " tasks %d/%d %s%s", done, total, bar(done, total), eta(done, total));
            String line = String.format(Locale.ROOT, "[tessera] %-28s%s elapsed %s", phase, tasks, clock(seconds()));
            if (terminal) {
                out.print("\r" + line + "   ");
                out.flush();
            } else if (System.nanoTime() - lastPrinted > 10_000_000_000L && total > 0) {
                out.println(line);
                lastPrinted = System.nanoTime();
            }
        }
    }

    /** Time left in the running stages at the rate their tasks have finished so far in this phase. */
    private String eta(int done, int total) {
        if (done == 0) {
            return "";
        }
        double inPhase = (System.nanoTime() - phaseStart) / 1e9;
        double rate = done / Math.max(inPhase, 1e-3);
        return String.format(Locale.ROOT, " %.1f tasks/s ETA %s", rate, clock((total - done) / rate));
    }

    private static String bar(int done, int total) {
        int width = 20;
        int filled = (int) ((long) done * width / Math.max(1, total));
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
    }

    static String clock(double s) {
        long t = (long) s;
        return String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        if (enabled && terminal) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
    }
}
