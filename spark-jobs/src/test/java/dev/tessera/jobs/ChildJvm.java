package dev.tessera.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a separate JVM with Tessera's JVM flags, for tests that kill a process or go through spark-submit. */
public final class ChildJvm {
    private ChildJvm() {}

    public static ProcessBuilder java(String classpath, List<String> mainAndArgs, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        // The pom's tessera.jvm.flags and tessera.launcher.flags, as bin/tessera starts a JVM.
        String flags = System.getProperty("tessera.jvm.flags");
        if (flags == null) {
            throw new IllegalStateException("tessera.jvm.flags is not set: run the tests through Maven");
        }
        for (String flag : flags.trim().split("\\s+")) {
            if (!flag.isEmpty()) {
                cmd.add(flag);
            }
        }
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb;
    }
}
