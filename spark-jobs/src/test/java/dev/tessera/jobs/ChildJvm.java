package dev.tessera.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a separate JVM with Tessera's JVM flags, for tests that kill a process or go through spark-submit. */
public final class ChildJvm {
    private ChildJvm() {
    }

    public static ProcessBuilder java(String classpath, List<String> mainAndArgs, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        try {
            for (String flag : Files.readAllLines(Path.of("..", "bin", "jvm-flags"))) {
                if (!flag.isBlank()) {
                    cmd.add(flag.trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb;
    }
}
