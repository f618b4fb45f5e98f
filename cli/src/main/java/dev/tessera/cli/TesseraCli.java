package dev.tessera.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/tessera}: one command per job. */
@Command(
        name = "tessera",
        mixinStandardHelpOptions = true,
        version = "tessera 0.1.0",
        description = "Embeddings and GNNs for huge multi-relation graphs.",
        subcommands = {
            ImportCommand.class,
            InspectCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            ExportCommand.class,
            KnnCommand.class,
            PredictCommand.class,
            NeighboursCommand.class,
            UpdateCommand.class,
            GcnCommand.class,
            FeaturesCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TesseraCli implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args, null));
    }

    /** Runs the CLI; {@code command}, when given, is put before the arguments (spark-submit entry points). */
    public static int run(String[] args, String command) {
        String[] full = args;
        if (command != null) {
            full = new String[args.length + 1];
            full[0] = command;
            System.arraycopy(args, 0, full, 1, args.length);
        }
        CommandLine cli = new CommandLine(new TesseraCli());
        cli.setErr(new PrintWriter(System.err, true));
        try {
            return cli.execute(full);
        } catch (OutOfMemoryError e) {
            return Output.outOfHeap(e, Arrays.asList(full).contains("--json"));
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
