package dev.tessera.distributed;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.Backends;
import dev.tessera.trainer.TrainingListener;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of a trainer process that {@link LocalTrainers} starts:
 * {@code --rank R --endpoints host:port,... --graph G --checkpoint CK --config C [--epochs E]
 * [--lease-ms L] [--dead-ms D] [--transfer-ms T] [--secret-file F]}. It logs; exit status 0 when its training finished, 1 otherwise.
 */
public final class TrainerRankMain {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerRankMain.class);

    private TrainerRankMain() {}

    static List<String> arguments(
            int rank,
            List<InetSocketAddress> endpoints,
            Path graph,
            Path checkpoint,
            Path configFile,
            Integer epochs,
            DistributedSettings settings) {
        List<String> args = new ArrayList<>(List.of(
                "--rank", Integer.toString(rank),
                "--endpoints", Endpoints.format(endpoints),
                "--graph", graph.toString(),
                "--checkpoint", checkpoint.toString(),
                "--config", configFile.toString(),
                "--lease-ms", Long.toString(settings.leaseTimeoutNanos() / 1_000_000),
                "--dead-ms", Long.toString(settings.deadAfterNanos() / 1_000_000),
                "--transfer-ms", Long.toString(settings.transferTimeoutNanos() / 1_000_000)));
        if (epochs != null) {
            args.addAll(List.of("--epochs", epochs.toString()));
        }
        if (settings.secretFile() != null) {
            args.addAll(List.of("--secret-file", settings.secretFile().toString()));
        }
        return args;
    }

    public static void main(String[] args) {
        try {
            Map<String, String> a = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                a.put(args[i], args[i + 1]);
            }
            TesseraConfig config = ConfigLoader.load(Path.of(required(a, "--config")));
            if (a.containsKey("--epochs")) {
                config = config.withNumEpochs(Integer.parseInt(a.get("--epochs")));
            }
            DistributedSettings settings = DistributedSettings.defaults();
            if (a.containsKey("--lease-ms")) {
                settings = settings.withLeaseTimeoutNanos(Long.parseLong(a.get("--lease-ms")) * 1_000_000);
            }
            if (a.containsKey("--dead-ms")) {
                settings = settings.withDeadAfterNanos(Long.parseLong(a.get("--dead-ms")) * 1_000_000);
            }
            if (a.containsKey("--transfer-ms")) {
                settings = settings.withTransferTimeoutNanos(Long.parseLong(a.get("--transfer-ms")) * 1_000_000);
            }
            if (a.containsKey("--secret-file")) {
                settings = settings.withSecretFile(Path.of(a.get("--secret-file")));
            }
            // Started by rank 0's process: when it is gone (killed, crashed) the job is over, whatever this
            // trainer was waiting for.
            TrainerAbort abort = new TrainerAbort();
            ProcessHandle.current()
                    .parent()
                    .ifPresent(parent -> parent.onExit()
                            .thenRun(() -> abort.abort("rank 0's process (pid " + parent.pid() + ") exited")));
            DistributedTrainer.run(
                    new DistributedTrainer.Spec(
                            Integer.parseInt(required(a, "--rank")),
                            Endpoints.parse(required(a, "--endpoints")),
                            Path.of(required(a, "--graph")),
                            Path.of(required(a, "--checkpoint")),
                            config,
                            settings),
                    Backends.create(config.backend()),
                    new TrainingListener() {},
                    abort);
            System.exit(0);
        } catch (RuntimeException e) {
            LOG.error("trainer failed: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }
}
