package dev.tessera.benchmarks;

import dev.tessera.core.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code bin/tessera} command run by a benchmark driver, as a user runs it: its exit status, seconds,
 * peak RSS and the JSON it printed last ({@code --json}). Runs from the repository root.
 */
record TesseraProcess(int exit, double seconds, long peakRssMb, Map<String, Object> json) {

    /**
     * Runs {@code bin/tessera ARGS} (in a memory cgroup of {@code capMb} when given, with {@code javaOpts} as
     * {@code TESSERA_JAVA_OPTS} when given) under GNU time for its peak RSS; its stderr (progress) passes through.
     */
    static TesseraProcess run(String label, Long capMb, String javaOpts, Path work, List<String> args)
            throws Exception {
        Path times = work.resolve(label + ".time");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-o", times.toString(), "-f", "%M"));
        command.add("bin/tessera");
        command.addAll(args);
        MemoryCgroup cgroup = capMb == null
                ? null
                : MemoryCgroup.create("tessera-" + ProcessHandle.current().pid(), capMb << 20)
                        .orElse(null);
        if (cgroup != null) {
            command = cgroup.wrap(command);
        }
        System.err.printf(Locale.ROOT, "== %s%s: %s%n", label, cgroup == null ? "" : " (cap " + capMb + " MB)", args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (javaOpts != null) {
            pb.environment().put("TESSERA_JAVA_OPTS", javaOpts);
        }
        long started = System.nanoTime();
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (cgroup != null) {
            System.err.printf(
                    Locale.ROOT,
                    "%s: cap reached %d times, %d OOM kills%n",
                    label,
                    cgroup.failCount(),
                    cgroup.oomKills());
            cgroup.close();
        }
        long peakKb = -1;
        if (Files.exists(times)) {
            List<String> lines = Files.readAllLines(times);
            peakKb = Long.parseLong(lines.get(lines.size() - 1).strip());
        }
        Map<String, Object> json = null;
        String[] lines = stdout.strip().split("\n");
        String last = lines[lines.length - 1];
        if (last.startsWith("{")) {
            json = Json.parseObject(last);
        }
        System.err.printf(
                Locale.ROOT, "== %s: exit %d, %.1f s, peak RSS %d MB: %s%n", label, exit, seconds, peakKb >> 10, last);
        return new TesseraProcess(exit, seconds, peakKb >> 10, json);
    }

    /** This run, or an exception naming {@code what} when it failed or printed no JSON. */
    TesseraProcess require(String what) {
        if (exit != 0 || json == null) {
            throw new IllegalStateException(what + " failed (exit " + exit + ")");
        }
        return this;
    }
}
