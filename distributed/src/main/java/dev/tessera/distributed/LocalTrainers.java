package dev.tessera.distributed;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.trainer.TrainingListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed training on one machine: N trainers on loopback, rank 0 in this process and ranks 1..N−1 as
 * child processes of the same Java and class path ({@link TrainerRankMain}), on the same code path a Spark
 * barrier stage takes. The children die with this process (a shutdown hook kills any still running). A child
 * that exits while the trainers are joining stops the job at once; one that dies once training runs is a
 * fault the others survive (the lock server takes it for dead, and the job's report says what was lost).
 */
public final class LocalTrainers {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTrainers.class);

    private LocalTrainers() {}

    /**
     * Trains {@code graph} into {@code checkpoint} with {@code trainers} trainers; {@code configFile} is read by
     * every trainer, with {@code epochs} (null: the config's) overriding num_epochs. Returns rank 0's result.
     */
    public static DistributedTrainer.Result train(
            int trainers,
            Path graph,
            Path checkpoint,
            Path configFile,
            TesseraConfig config,
            Integer epochs,
            DistributedSettings settings,
            DenseBackend backend,
            TrainingListener listener) {
        List<InetSocketAddress> endpoints = freeLoopbackEndpoints(trainers);
        List<Process> children = new ArrayList<>();
        Thread killer = new Thread(() -> children.forEach(Process::destroyForcibly), "tessera-kill-trainers");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            TrainerAbort abort = new TrainerAbort();
            for (int rank = 1; rank < trainers; rank++) {
                children.add(startChild(rank, endpoints, graph, checkpoint, configFile, epochs, settings, abort));
            }
            DistributedTrainer.Result result = DistributedTrainer.run(
                    new DistributedTrainer.Spec(0, endpoints, graph, checkpoint, config, settings),
                    backend,
                    listener,
                    abort);
            awaitExit(children);
            return result;
        } finally {
            children.forEach(Process::destroyForcibly);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /**
     * Starts trainer {@code rank} (a first one, or the replacement of one that died) as a child process; if it
     * fails while the trainers are joining, {@code abort} stops rank 0 at once.
     */
    static Process startChild(
            int rank,
            List<InetSocketAddress> endpoints,
            Path graph,
            Path checkpoint,
            Path configFile,
            Integer epochs,
            DistributedSettings settings,
            TrainerAbort abort) {
        Process child = SiblingJvm.start(
                TrainerRankMain.class,
                TrainerRankMain.arguments(rank, endpoints, graph, checkpoint, configFile, epochs, settings),
                "trainer " + rank);
        child.onExit().thenAccept(p -> {
            String what = "trainer " + rank + " exited with status " + p.exitValue() + " (its log is above)";
            if (p.exitValue() != 0 && !abort.abortBeforeStart(what)) {
                LOG.warn("{}; the others go on without it", what);
            }
        });
        return child;
    }

    /** After rank 0 is done: waits for the children to exit, killing any that has not after a minute. */
    static void awaitExit(List<Process> children) {
        try {
            for (Process p : children) {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    LOG.warn("trainer process {} did not exit after training; killing it", p.pid());
                    p.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the trainers to exit", e);
        }
    }

    /** {@code n} UDP endpoints on loopback that are free right now. */
    static List<InetSocketAddress> freeLoopbackEndpoints(int n) {
        return Endpoints.free(java.util.Collections.nCopies(n, InetAddress.getLoopbackAddress()));
    }
}
