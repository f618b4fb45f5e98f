package dev.tessera.distributed;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.GraphStore;
import dev.tessera.trainer.TrainingListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injection run of trainers on loopback (as {@link LocalTrainers} starts them): once the first epoch is
 * committed, a driver SIGKILLs a random rank among 1..N−2 at random moments and starts a replacement of it
 * each time (waiting until rank 0 has let the replacement in before the next kill), while another driver
 * SIGSTOPs rank N−1 for a while and SIGCONTs it, again and again. It returns what it inflicted beside the
 * job's own report, so the two can be compared ({@code DistributedChaosIT}, {@code DistributedChaosBenchmark}).
 */
public final class ChaosRun {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);

    /**
     * @param trainers   at least 3: rank 0 (never harmed), ranks 1..N−2 (killed), rank N−1 (paused)
     * @param kills      how many kills; the run fails if the job ends before they are all done
     * @param minGapNanos shortest wait before a kill (after the replacement of the last one joined)
     * @param maxGapNanos longest such wait
     * @param pauseNanos how long each pause lasts (the same again passes between pauses); 0: no pauses
     * @param seed       for the kill moments and victims
     * @param oneKillPerEpoch whether each kill waits, besides, for the epoch of the last one to be committed: each
     *                   kill then loses at most the training since one checkpoint, where kills that come faster
     *                   than epochs end (a kill stalls its epoch until the death is noticed) can revert the same
     *                   partitions to the same checkpoint again and again
     */
    public record Plan(
            int trainers,
            int kills,
            long minGapNanos,
            long maxGapNanos,
            long pauseNanos,
            long seed,
            boolean oneKillPerEpoch) {
        public Plan {
            if (trainers < 3) {
                throw new IllegalArgumentException("a chaos run needs 3 trainers or more, not " + trainers);
            }
        }
    }

    /** A kill: the rank, and when, in seconds since the run began. */
    public record Kill(int rank, double atSeconds) {}

    /**
     * What happened: the job's result (rank 0's report), the kills and pauses inflicted, the run's length, and
     * the graph's partitions, with the comparisons of the report against what was inflicted.
     */
    public record Outcome(
            DistributedTrainer.Result result, List<Kill> kills, int pauses, double seconds, int partitions) {
        public List<Integer> killedRanks() {
            return kills.stream().map(Kill::rank).toList();
        }

        /** The trainers the job reported lost, in order. */
        public List<Integer> reportedDeaths() {
            return ranks("trainers_lost");
        }

        /** The restarted trainers the job reported letting in, in order. */
        public List<Integer> reportedJoins() {
            return ranks("trainers_joined");
        }

        /** The partitions the job reported restored from the checkpoint: [partition, dead home, new home] each. */
        public List<List<Integer>> reportedMoves() {
            List<List<Integer>> moves = new ArrayList<>();
            for (Map<?, ?> p : restored()) {
                moves.add(List.of(
                        (Integer) p.get("partition"), (Integer) p.get("dead_home"), (Integer) p.get("new_home")));
            }
            return moves;
        }

        /**
         * The moves the kills imply: each death hands the dead rank's partitions to the others (all alive: the
         * killer waits for each replacement before the next kill), as {@link HomeMap#withoutHome} deals them.
         */
        public List<List<Integer>> inflictedMoves() {
            HomeMap homes = HomeMap.initial(partitions, result.trainers());
            List<List<Integer>> moves = new ArrayList<>();
            for (int dead : killedRanks()) {
                HomeMap next = homes.withoutHome(dead, r -> r != dead);
                for (int p : homes.partsOf(dead)) {
                    moves.add(List.of(p, dead, next.homeOf(p)));
                }
                homes = next;
            }
            return moves;
        }

        /** Whether the job reported exactly the deaths, replacements and moved partitions the kills inflicted. */
        public boolean reportMatches() {
            List<Integer> killed = killedRanks();
            return killed.equals(reportedDeaths())
                    && killed.equals(reportedJoins())
                    && inflictedMoves().equals(reportedMoves());
        }

        /** Edges whose training the restored partitions lost, as the job reported them. */
        public long reportedEdgesLost() {
            return restored().stream()
                    .mapToLong(p -> ((Number) p.get("edges_lost")).longValue())
                    .sum();
        }

        public int lapsedLeases() {
            return result.epochs().stream()
                    .mapToInt(e -> ((Number) e.get("lapsed_leases")).intValue())
                    .sum();
        }

        public boolean eachBucketOncePerEpoch() {
            return result.epochs().stream().allMatch(e -> Boolean.TRUE.equals(e.get("each_bucket_once")));
        }

        private List<Map<?, ?>> restored() {
            List<Map<?, ?>> out = new ArrayList<>();
            for (Map<String, Object> e : result.epochs()) {
                for (Object p : (List<?>) e.get("partitions_restored")) {
                    out.add((Map<?, ?>) p);
                }
            }
            return out;
        }

        private List<Integer> ranks(String key) {
            List<Integer> out = new ArrayList<>();
            for (Map<String, Object> e : result.epochs()) {
                for (Object r : (List<?>) e.get(key)) {
                    out.add((Integer) r);
                }
            }
            return out;
        }
    }

    private final Plan plan;
    private final List<InetSocketAddress> endpoints;
    private final Path graph;
    private final Path checkpoint;
    private final Path configFile;
    private final DistributedSettings settings;
    private final TrainerAbort abort = new TrainerAbort();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Process[] current;
    private final List<Kill> kills = new CopyOnWriteArrayList<>();
    private final long start = System.nanoTime();
    private volatile JobProgress progress;
    private volatile boolean over;
    private volatile int pauses;

    private ChaosRun(Plan plan, Path graph, Path checkpoint, Path configFile, DistributedSettings settings) {
        this.plan = plan;
        this.endpoints = LocalTrainers.freeLoopbackEndpoints(plan.trainers());
        this.graph = graph;
        this.checkpoint = checkpoint;
        this.configFile = configFile;
        this.settings = settings;
        this.current = new Process[plan.trainers()];
    }

    /** Trains {@code graph} into {@code checkpoint} as {@link LocalTrainers#train} would, under {@code plan}'s faults. */
    public static Outcome run(
            Plan plan,
            Path graph,
            Path checkpoint,
            Path configFile,
            TesseraConfig config,
            DistributedSettings settings,
            DenseBackend backend,
            TrainingListener listener) {
        return new ChaosRun(plan, graph, checkpoint, configFile, settings).train(config, backend, listener);
    }

    private Outcome train(TesseraConfig config, DenseBackend backend, TrainingListener listener) {
        Thread killer = new Thread(this::kill, "tessera-chaos-killer");
        Thread pauser = new Thread(this::pause, "tessera-chaos-pauser");
        try {
            for (int rank = 1; rank < plan.trainers(); rank++) {
                startTrainer(rank);
            }
            killer.start();
            pauser.start();
            DistributedTrainer.Result result;
            try {
                result = DistributedTrainer.run(
                        new DistributedTrainer.Spec(0, endpoints, graph, checkpoint, config, settings),
                        backend,
                        new Watch(listener),
                        abort);
            } finally {
                over = true;
                join(killer);
                join(pauser);
            }
            LocalTrainers.awaitExit(processes);
            if (kills.size() < plan.kills()) {
                throw new IllegalStateException(
                        "the job ended after " + kills.size() + " of " + plan.kills() + " kills: give it more epochs");
            }
            return new Outcome(result, List.copyOf(kills), pauses, seconds(), partitions());
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    private void startTrainer(int rank) {
        Process p = LocalTrainers.startChild(rank, endpoints, graph, checkpoint, configFile, null, settings, abort);
        current[rank] = p;
        processes.add(p);
    }

    /**
     * The killer: each kill after a random gap, each replacement let in before the next (and, if the plan says
     * so, the epoch of the last kill committed).
     */
    private void kill() {
        SplittableRandom random = new SplittableRandom(plan.seed());
        try {
            awaitFirstCommit();
            for (int k = 0; k < plan.kills() && !over; k++) {
                sleepNanos(random.nextLong(plan.minGapNanos(), plan.maxGapNanos() + 1));
                if (over) {
                    return;
                }
                int rank = 1 + random.nextInt(plan.trainers() - 2);
                int joinsBefore = progress.joins();
                int epochOfKill = progress.epoch();
                Process victim = current[rank];
                victim.destroyForcibly();
                victim.waitFor();
                kills.add(new Kill(rank, seconds()));
                LOG.warn("chaos: killed trainer {} (kill {} of {}); starting a replacement", rank, k + 1, plan.kills());
                startTrainer(rank);
                while (!over && progress.joins() == joinsBefore) {
                    Thread.sleep(20);
                }
                while (plan.oneKillPerEpoch() && !over && progress.epoch() <= epochOfKill) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pauser: rank N−1 stopped for the pause, then let go on for as long, until the killer is done. */
    private void pause() {
        int rank = plan.trainers() - 1;
        if (plan.pauseNanos() <= 0) {
            return;
        }
        try {
            awaitFirstCommit();
            while (!over && kills.size() < plan.kills()) {
                ProcessHandle p = current[rank].toHandle();
                signal("STOP", p);
                try {
                    sleepNanos(plan.pauseNanos());
                } finally {
                    signal("CONT", p);
                }
                pauses++;
                sleepNanos(plan.pauseNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitFirstCommit() throws InterruptedException {
        while (!over && (progress == null || progress.epoch() < 1)) {
            Thread.sleep(20);
        }
    }

    private int partitions() {
        try (GraphStore g = GraphStore.openReadOnly(graph)) {
            return g.meta().numPartitions();
        }
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends SIG{@code name} (STOP, CONT, …) to {@code process}. */
    static void signal(String name, ProcessHandle process) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot send SIG" + name + " to process " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Passes everything on to the caller's listener, keeping the job's latest progress for the drivers. */
    private final class Watch implements TrainingListener, JobProgress.Listener {
        private final TrainingListener next;

        Watch(TrainingListener next) {
            this.next = next;
        }

        @Override
        public void onJobProgress(JobProgress p) {
            progress = p;
            if (next instanceof JobProgress.Listener l) {
                l.onJobProgress(p);
            }
        }

        @Override
        public void onBucket(int epoch, int bucket, int buckets, long done, long total, double loss) {
            next.onBucket(epoch, bucket, buckets, done, total, loss);
        }

        @Override
        public void onEpoch(int epoch, double loss, double edgesPerSecond) {
            next.onEpoch(epoch, loss, edgesPerSecond);
        }

        @Override
        public void onCheckpoint(Checkpoint checkpoint) {
            next.onCheckpoint(checkpoint);
        }
    }
}
