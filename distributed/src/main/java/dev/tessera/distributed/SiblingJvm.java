package dev.tessera.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a {@code main} class in a new JVM like this one: the same java, JVM options (Agrona's exports
 * among them; not a debugger or agent, whose port or file the two would fight over) and class path, its
 * output on this process's terminal.
 */
final class SiblingJvm {
    private SiblingJvm() {}

    static Process start(Class<?> main, List<String> args, String what) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        try {
            return new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what + ": " + e.getMessage(), e);
        }
    }
}
