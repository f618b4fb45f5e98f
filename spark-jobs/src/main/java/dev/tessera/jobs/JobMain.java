package dev.tessera.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every spark-submit entry point does with its arguments: picocli parses them into the job's argument
 * object, answers {@code --help} and bad arguments with the job's usage message, and runs the job; a failure
 * exits non-zero, so spark-submit reports the job failed.
 */
final class JobMain {
    private JobMain() {}

    static void run(String name, String description, Object arguments, String[] args, Callable<?> job) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(arguments);
        spec.name("spark-submit --class dev.tessera.jobs." + name + " tessera-jobs.jar");
        spec.usageMessage().description(description);
        spec.mixinStandardHelpOptions(true);
        CommandLine cli = new CommandLine(spec);
        cli.setExecutionStrategy(parsed -> {
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            try {
                job.call();
            } catch (Exception e) {
                throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), name + " failed: " + e, e);
            }
            return 0;
        });
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
