package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.trainer.SmallGraph;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four trainer processes train WordNet (WN18) in 8 partitions while ranks 1 and 2 are killed at random and
 * replaced, five times one epoch apart, and rank 3 is paused again and again ({@link ChaosRun}); the job must
 * finish every epoch, train every bucket once per epoch, report exactly the deaths, joins and moved partitions
 * inflicted, leave a checkpoint that evaluates and resumes, and land near an undisturbed run's filtered MRR.
 * {@code DistributedChaosBenchmark} runs it longer.
 */
class DistributedChaosIT {
    private static final int TRAINERS = 4;
    private static final int PARTITIONS = 8;
    private static final int EPOCHS = 20;
    /** As {@code benchmarks/configs/wn18rels-complex-p8.yaml}, at d = 64. */
    private static final String SETTINGS = "operator: complex_diagonal\ndimension: 64\ncomparator: dot\n"
            + "loss_fn: softmax\nnum_batch_negs: 50\nnum_uniform_negs: 1000\nlr: 0.1\nnum_epochs: " + EPOCHS
            + "\nbatch_size: 1000\nbucket_order: random\nregularization_coef: 0.001\nworkers: 1\nseed: 1\n";
    /**
     * Leases lapse in 1 s, a trainer silent for 4 s is dead, and pauses last 1.5 s: they cost leases, not homes.
     * At 2.5 s a replacement trainer that nobody killed was once taken for dead (silent 2.5 s, on a 2-core machine
     * running five JVMs in a slow hour), and the job then rightly reported one death more than the kills.
     */
    private static final DistributedSettings FAST_FAULTS = DistributedSettings.defaults()
            .withLeaseTimeoutNanos(1_000_000_000L)
            .withDeadAfterNanos(4_000_000_000L)
            .withTransferTimeoutNanos(1_000_000_000L);

    @Test
    void trainersKilledAndPausedAtRandomAreSurvivedAndReportedExactly(@TempDir Path tmp) throws Exception {
        TesseraConfig config = SmallGraph.build(SmallGraph.data("kg/WN18"), tmp.resolve("g"), PARTITIONS, SETTINGS);
        Path configFile = Files.writeString(tmp.resolve("config.json"), config.toJson());

        long start = System.nanoTime();
        DistributedTrainer.Result calm = LocalTrainers.train(
                TRAINERS,
                tmp.resolve("g"),
                tmp.resolve("calm"),
                configFile,
                config,
                null,
                FAST_FAULTS,
                new OpenBlasBackend(),
                new TrainingListener() {});
        double calmSeconds = (System.nanoTime() - start) / 1e9;
        assertEquals(EPOCHS, calm.training().epochs());

        ChaosRun.Outcome chaos = ChaosRun.run(
                new ChaosRun.Plan(TRAINERS, 5, 300_000_000L, 1_500_000_000L, 1_500_000_000L, 42, true),
                tmp.resolve("g"),
                tmp.resolve("ck"),
                configFile,
                config,
                FAST_FAULTS,
                new OpenBlasBackend(),
                new TrainingListener() {});
        DistributedTrainer.Result r = chaos.result();
        assertEquals(EPOCHS, r.training().epochs());

        assertTrue(chaos.eachBucketOncePerEpoch(), r.epochs().toString());
        // Every kill is one death and one replacement let in, of the rank killed, in that order, and the
        // partitions restored are those the dead homes held, gone where the survivors' load sends them.
        assertEquals(chaos.killedRanks(), chaos.reportedDeaths(), "deaths the job reported against the kills");
        assertEquals(chaos.killedRanks(), chaos.reportedJoins(), "replacements the job let in");
        assertEquals(chaos.inflictedMoves(), chaos.reportedMoves(), "partitions restored and where they went");
        assertTrue(chaos.reportMatches());

        double calmMrr = DistributedTrainingTest.filteredMrr(tmp.resolve("g"), tmp.resolve("calm"));
        double mrr = DistributedTrainingTest.filteredMrr(tmp.resolve("g"), tmp.resolve("ck"));
        System.out.printf(
                "chaos: %d kills %s, %d pauses, %d lapsed leases, %d partitions restored (%d edges of training lost); "
                        + "%.1f s against %.1f s undisturbed; filtered MRR %.3f against %.3f%n",
                chaos.kills().size(),
                chaos.kills(),
                chaos.pauses(),
                chaos.lapsedLeases(),
                chaos.reportedMoves().size(),
                chaos.reportedEdgesLost(),
                chaos.seconds(),
                calmSeconds,
                mrr,
                calmMrr);
        assertTrue(chaos.pauses() >= 1);
        // Kills one epoch apart, at 20 epochs: 0.809 against 0.821 and 0.798 against 0.810 (58k edges lost). Kills
        // allowed to come faster than epochs end fell inside one or two epochs, reverted the same partitions to
        // the same checkpoint up to four times (150–250k edges lost) and landed 0.007 above to 0.062 below the
        // undisturbed run, too wide for one pair; undisturbed runs alone spread by 0.03 (0.810–0.842). The
        // issue's 0.03 is checked over repeated runs of a converged config by DistributedChaosBenchmark. In the
        // CI runs of this test the chaotic run landed 0.012, 0.023, 0.028, 0.034, 0.037 and 0.051 below the calm
        // one (56–71k edges lost): 0.07 is the mean drop plus about three standard deviations of it, while one
        // of the 8 partitions restored to random rows would put a random end on about a quarter of the test
        // edges (an estimate: about 0.2 of MRR).
        assertTrue(Math.abs(mrr - calmMrr) <= 0.07, "MRR " + mrr + " against " + calmMrr + " undisturbed");

        // The last checkpoint resumes with one trainer.
        try (GraphStore g = GraphStore.openReadOnly(tmp.resolve("g"));
                CheckpointStore ck =
                        CheckpointStore.openExisting(tmp.resolve("ck"), g.meta().fingerprint())) {
            assertEquals(EPOCHS, ck.latest().orElseThrow().epochs());
            assertEquals(EPOCHS, ck.latest().orElseThrow().history().size(), "a record of every epoch");
            Trainer.Result one = new Trainer(g, ck, config.with("num_epochs", EPOCHS + 1), new OpenBlasBackend())
                    .train(new TrainingListener() {});
            assertEquals(EPOCHS + 1, one.epochs());
        }
    }
}
