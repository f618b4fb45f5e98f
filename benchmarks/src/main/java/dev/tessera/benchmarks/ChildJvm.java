package dev.tessera.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a benchmark step in a fresh JVM (same classpath and flags), so its peak RSS is its own, and returns
 * the {@code key=value} pairs of the child's {@code benchmark=} line; the child's output is echoed to stderr.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** {@code heap} (e.g. "1g") replaces the parent's -Xmx when given. */
    static Map<String, String> run(String label, String heap, Class<?> main, List<String> args) throws Exception {
        return run(label, heap, System.getProperty("java.class.path"), main, args);
    }

    /**
     * A child that trains as {@code bin/tessera train} does: on the training classpath, without Spark's jars
     * (cli/target/training-classpath.txt), plus this module's jar.
     */
    static Map<String, String> runTraining(String label, Class<?> main, List<String> args) throws Exception {
        Path benchmarks = Path.of(ChildJvm.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path jobs = Path.of("cli", "target");
        String training =
                Files.readString(jobs.resolve("training-classpath.txt")).strip();
        String jobsJar = jobs.resolve("tessera-cli.jar").toAbsolutePath().toString();
        return run(label, null, String.join(File.pathSeparator, benchmarks.toString(), jobsJar, training), main, args);
    }

    private static Map<String, String> run(
            String label, String heap, String classpath, Class<?> main, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (heap == null || !arg.startsWith("-Xmx")) {
                command.add(arg);
            }
        }
        if (heap != null) {
            command.add("-Xmx" + heap);
        }
        command.addAll(List.of("-cp", classpath, main.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<String, String> result = new LinkedHashMap<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.err.println("[" + label + "] " + line);
                if (line.startsWith("benchmark=")) {
                    for (String kv : line.split(" ")) {
                        int eq = kv.indexOf('=');
                        result.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        if (child.waitFor() != 0 || result.isEmpty()) {
            throw new IllegalStateException(label + " failed (exit " + child.exitValue() + ")");
        }
        return result;
    }
}
