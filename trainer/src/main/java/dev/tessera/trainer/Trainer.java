package dev.tessera.trainer;

import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.trainer.eval.Evaluator;
import dev.tessera.trainer.eval.RankingMetrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.DoubleAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop (DESIGN.md §3.2): for each epoch, the buckets its {@link BucketSchedule} hands out; for
 * each bucket its partitions from the {@link PartitionStore}, its edges shuffled into batches, and Hogwild
 * workers training chunks lock-free on the partitions and the {@link SharedParameters}. Every epoch ends in
 * a checkpoint whose pointer flips atomically; a run resumes after the last complete epoch
 * ({@link ResumePoint}). A trainer trains once: its partition store closes when the run ends.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Held-out edges per bucket for the before/after evaluation: enough for a stable MRR, cheap to rank. */
    static final int MAX_HELD_OUT = 1000;

    private final GraphStore graph;
    private final TesseraConfig config;
    private final TrainingSettings s;
    private final DenseBackend backend;
    private final GraphMeta meta;
    private final int[] partsOfType;
    private final Seams seams;

    /** Results of a run: what the CLI's {@code --json} reports. */
    public record Result(
            int epochs,
            double seconds,
            double edgesPerSecond,
            double finalLoss,
            double waitSeconds,
            int partitionLoads,
            List<Map<String, Object>> history) {}

    /** Where buckets, partitions and shared parameters come from, and where checkpoints go. */
    public record Seams(
            BucketSchedule schedule,
            PartitionStore partitions,
            SharedParameters parameters,
            CheckpointCommits commits) {
        /** Single-machine training: the configured bucket order, the checkpoint store, parameters in memory. */
        public static Seams local(GraphStore graph, CheckpointStore checkpoints, TesseraConfig config) {
            TrainingSettings s = TrainingSettings.of(config);
            LocalSharedParameters parameters = new LocalSharedParameters(config, s, graph, checkpoints);
            return new Seams(
                    new LocalBucketSchedule(graph.meta(), s.bucketOrder(), s.bufferPartitions(), s.seed()),
                    new CheckpointPartitionStore(
                            graph, checkpoints, config, s, parameters.featureTables(), partitionsOfTypes(config)),
                    parameters,
                    new LocalCheckpointCommits(checkpoints));
        }
    }

    /** Single-machine training of {@code graph} into {@code checkpoints}. */
    public Trainer(GraphStore graph, CheckpointStore checkpoints, TesseraConfig config, DenseBackend backend) {
        this(graph, config, backend, Seams.local(graph, checkpoints, config));
    }

    /** Training over the given seams. */
    public Trainer(GraphStore graph, TesseraConfig config, DenseBackend backend, Seams seams) {
        this.graph = graph;
        this.config = config;
        this.s = TrainingSettings.of(config);
        this.backend = backend;
        this.meta = graph.meta();
        this.partsOfType = partitionsOfTypes(config);
        for (int t = 0; t < partsOfType.length; t++) {
            if (meta.entityCounts(config.entities().get(t).name()).length != partsOfType[t]) {
                throw new IllegalArgumentException("the config partitions entity type '"
                        + config.entities().get(t).name() + "' into " + partsOfType[t]
                        + " but the graph was imported with "
                        + meta.entityCounts(config.entities().get(t).name()).length);
            }
        }
        this.seams = seams;
    }

    private static int[] partitionsOfTypes(TesseraConfig config) {
        return config.entities().stream()
                .mapToInt(EntityTypeConfig::numPartitions)
                .toArray();
    }

    /** Trains the remaining epochs; {@code listener} sees every bucket, commit and epoch, as does the HTML report. */
    public Result train(TrainingListener listener) {
        long started = System.nanoTime();
        SharedParameters shared = seams.parameters();
        ModelParameters params = shared.model();
        CheckpointCommits commits = seams.commits();
        ResumePoint start = commits.resumePoint(config, s.dimension(), partsOfType);
        shared.start(start.paramsVersion());
        Path reportDirectory = commits.reportDirectory();
        Run run = new Run(
                start,
                reportDirectory == null ? List.of(listener) : List.of(listener, new TrainingReport(reportDirectory)),
                new ValidationSchedule(s.validation(), start.history()));
        if (!s.validation().keepBest()) {
            run.best = null; // a checkpoint that kept one, resumed without: its data goes with the next epoch's
        }
        if ((s.validation().enabled() || s.validation().timeBudgetMinutes() > 0)
                && commits.localStore().isEmpty()) {
            throw new IllegalArgumentException("validate_every and time_budget_minutes need single-machine "
                    + "training (validation ranks the checkpoint on this machine; every trainer must stop at the "
                    + "same epoch); evaluate distributed checkpoints with bin/tessera eval --split valid");
        }
        TimeBudget budget = new TimeBudget(s.validation());
        int allEntitiesRows = allEntitiesRows(params);
        long scratch = s.oneVsAll() ? OneVsAllTrainer.partitionScratchFloats(s, backend, params, allEntitiesRows) : 0;
        new TrainingMemory(config, s, meta, CheckpointPartitionStore.bufferedPerType(s), scratch)
                .check(Runtime.getRuntime().maxMemory());
        if (s.subsamplingWeights()) {
            run.subsampling = subsamplingWeights();
        }
        try (HogwildWorkers workers = new HogwildWorkers(s, backend, params, allEntitiesRows);
                PartitionStore partitions = seams.partitions()) {
            workers.scaleLearningRates(run.validation.lrScale());
            for (; run.epoch < s.epochs() && !run.validation.stop() && !budget.spent(run.history); run.epoch++) {
                trainEpoch(run, partitions, shared, workers);
            }
        }
        if (run.epoch < s.epochs() && !run.validation.stop() && budget.spent(run.history)) {
            LOG.info("stopping after epoch {}: {}", run.epoch, budget.explain(run.history));
        }
        if (run.validation.stop()) {
            LOG.info(
                    "early stopping after epoch {}: no better valid MRR than {} in {} validations",
                    run.epoch,
                    String.format(Locale.ROOT, "%.4f", run.validation.best()),
                    s.validation().stopPatience());
        }
        if (s.validation().enabled() && s.validation().keepBest()) {
            endOnBest(run);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(
                run.epoch,
                seconds,
                run.edgesTrained / Math.max(seconds, 1e-9),
                run.lastLoss,
                run.waitSeconds,
                run.loads,
                run.history);
    }

    /** A run's state across epochs. */
    private static final class Run {
        final List<TrainingListener> listeners;
        final List<Map<String, Object>> history;
        int epoch;
        int version;
        int[][] partitionVersion;
        long edgesTrained;
        double lastLoss = Double.NaN;
        double waitSeconds;
        int loads;
        /** The best validated state, kept until the run ends on it (null: none yet). */
        Checkpoint.Best best;
        /** The training edges' {@code subsampling_weights}, or null without them. */
        QueryFrequencyWeights subsampling;

        final ValidationSchedule validation;

        Run(ResumePoint start, List<TrainingListener> listeners, ValidationSchedule validation) {
            this.listeners = listeners;
            this.validation = validation;
            this.history = start.history();
            this.epoch = start.epoch();
            this.version = start.version();
            this.partitionVersion = start.partitionVersion();
            this.best = start.best();
        }
    }

    /** One epoch's running totals. */
    private static final class EpochTally {
        final DoubleAdder loss = new DoubleAdder();
        final RankingMetrics before = new RankingMetrics();
        final RankingMetrics after = new RankingMetrics();
        long edges;

        double meanLoss() {
            return loss.sum() / Math.max(1, edges);
        }
    }

    private void trainEpoch(Run run, PartitionStore partitions, SharedParameters shared, HogwildWorkers workers) {
        BucketSchedule schedule = seams.schedule();
        long epochStart = System.nanoTime();
        int epoch = run.epoch;
        int working = run.version + 1;
        partitions.startEpoch(working, run.partitionVersion);
        long waitBefore = partitions.waitNanos();
        int loadsBefore = partitions.loads();
        int buckets = schedule.startEpoch(epoch);
        long trainEdges = meta.edgeCount(Split.TRAIN);
        EpochTally tally = new EpochTally();
        BucketEdges edges = new BucketEdges();
        for (Bucket bucket = schedule.next(); bucket != null; bucket = schedule.next()) {
            try {
                trainScheduled(bucket, schedule.upcoming(), run, partitions, shared.model(), workers, edges, tally);
            } catch (PartitionsUnavailableException e) { // from acquiring the partitions, before any training
                LOG.warn("bucket ({}, {}) handed back untrained: {}", bucket.lhs(), bucket.rhs(), e.getMessage());
                schedule.abandoned(bucket);
                continue;
            }
            schedule.finished(bucket);
            shared.sync();
            for (TrainingListener l : run.listeners) {
                l.onBucket(epoch, bucket.index(), buckets, tally.edges, trainEdges, tally.meanLoss());
            }
        }
        int[][] nowVersion = partitions.finishEpoch();
        run.waitSeconds += (partitions.waitNanos() - waitBefore) / 1e9;
        run.loads += partitions.loads() - loadsBefore;
        shared.write(working);
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        run.lastLoss = tally.meanLoss();
        run.history.add(epochRecord(epoch, run.lastLoss, seconds, tally.edges, tally.before, tally.after));
        Checkpoint committed =
                new Checkpoint(working, epoch + 1, nowVersion, working, s.dimension(), run.history).withBest(run.best);
        seams.commits().commit(committed, run.version);
        if (run.validation.due(epoch)) {
            committed = validate(run, committed, workers);
        }
        for (TrainingListener l : run.listeners) {
            l.onCheckpoint(committed);
        }
        run.partitionVersion = nowVersion;
        run.version = working;
        run.edgesTrained += tally.edges;
        for (TrainingListener l : run.listeners) {
            l.onEpoch(epoch, run.lastLoss, tally.edges / Math.max(seconds, 1e-9));
        }
    }

    /**
     * Ranks the valid split against the checkpoint just committed, records the MRR in its epoch's history
     * (committing the checkpoint again, now with it, and as the best when it is) and applies the schedule's
     * learning rate; returns the checkpoint as committed now.
     */
    private Checkpoint validate(Run run, Checkpoint committed, HogwildWorkers workers) {
        CheckpointStore store = seams.commits().localStore().orElseThrow();
        long started = System.nanoTime();
        double mrr = ((Number) new Evaluator(graph, store, backend)
                        .evaluate(Split.VALID, true, 0)
                        .get("mrr"))
                .doubleValue();
        double scale = run.validation.lrScale();
        Map<String, Object> epochRecord = run.history.get(run.history.size() - 1);
        epochRecord.put(TimeBudget.VALID_SECONDS, (System.nanoTime() - started) / 1e9);
        boolean newBest = run.validation.record(epochRecord, mrr, s.lr());
        if (newBest && s.validation().keepBest()) {
            Checkpoint recommitted = committed.withBest(committed.asBest(mrr));
            seams.commits().commit(recommitted, committed.version() - 1); // drops the best it replaces
            run.best = recommitted.best();
            committed = recommitted;
        } else {
            store.commit(committed);
        }
        if (run.validation.lrScale() != scale) {
            LOG.info(
                    "valid MRR {} after epoch {}: learning rates now {} of the configured ones",
                    String.format(Locale.ROOT, "%.4f", mrr),
                    committed.epochs(),
                    run.validation.lrScale());
            workers.scaleLearningRates(run.validation.lrScale());
        } else {
            LOG.info("valid MRR {} after epoch {}", String.format(Locale.ROOT, "%.4f", mrr), committed.epochs());
        }
        return committed;
    }

    /**
     * Ends the run on its best validated model ({@code keep_best}) when the last checkpoint holds another: the
     * same epochs and history, the best's data, and the last epochs' data dropped. Also on a resumed run that
     * has nothing left to train, so a kill between the last epoch and this commit loses nothing.
     */
    private void endOnBest(Run run) {
        Checkpoint last = seams.commits().localStore().orElseThrow().latest().orElse(null);
        if (last == null || last.best() == null || last.best().paramsVersion() == last.paramsVersion()) {
            return;
        }
        Checkpoint restored = last.restoredToBest();
        seams.commits().commit(restored, last.version());
        LOG.info(
                "ending on the model of epoch {}, the best validated (valid MRR {}), instead of epoch {}'s",
                last.best().epochs(),
                String.format(Locale.ROOT, "%.4f", last.best().validMrr()),
                last.epochs());
        for (TrainingListener l : run.listeners) {
            l.onCheckpoint(restored);
        }
    }

    /**
     * Trains one bucket with its partitions from the store (starting the load of {@code next}'s, when known),
     * ranking its held-out edges before and after into the tally.
     */
    private void trainScheduled(
            Bucket bucket,
            Bucket next,
            Run run,
            PartitionStore partitions,
            ModelParameters params,
            HogwildWorkers workers,
            BucketEdges edges,
            EpochTally tally) {
        Set<Long> needed = BucketPartitions.needed(bucket, params, partsOfType);
        BucketPartitions parts = new BucketPartitions(bucket, partitions.acquire(needed), partsOfType, params);
        if (next != null) {
            partitions.prefetch(BucketPartitions.needed(next, params, partsOfType), needed);
        }
        edges.read(graph, Split.TRAIN, bucket.lhs(), bucket.rhs());
        if (run.subsampling != null) {
            run.subsampling.weigh(edges, bucket.lhs(), bucket.rhs());
        }
        int epoch = run.epoch;
        int heldOut = (int) Math.min(MAX_HELD_OUT, Math.round(edges.size * s.evalFraction()));
        long bucketSeed = s.seed() * 1_000_003L + bucket.lhs() * 65_537L + bucket.rhs();
        edges.shuffle(
                new SplittableRandom(bucketSeed),
                new SplittableRandom(bucketSeed ^ (epoch + 1) * 0x9E3779B97F4A7C15L),
                s.batchSize(),
                heldOut,
                params.chunkGroup);
        int trained = edges.size - heldOut;
        // Before and after rank against the same sampled candidates, so the change is the model's.
        workers.rankHeldOut(edges, trained, parts, new SplittableRandom(bucketSeed + epoch), tally.before);
        tally.loss.add(workers.train(edges, parts, epoch));
        workers.rankHeldOut(edges, trained, parts, new SplittableRandom(bucketSeed + epoch), tally.after);
        tally.edges += trained;
    }

    private QueryFrequencyWeights subsamplingWeights() {
        long started = System.nanoTime();
        QueryFrequencyWeights weights = QueryFrequencyWeights.count(graph, config);
        LOG.info(
                "subsampling_weights: {} training edges counted in {} s; {} queries have more than one answer",
                meta.edgeCount(Split.TRAIN),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9),
                weights.repeatedQueries());
        return weights;
    }

    private static Map<String, Object> epochRecord(
            int epoch, double loss, double seconds, long edges, RankingMetrics before, RankingMetrics after) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("epoch", epoch + 1);
        h.put("loss", loss);
        h.put("seconds", seconds);
        h.put("edges_per_s", edges / Math.max(seconds, 1e-9));
        if (after.count() > 0) {
            h.put("eval_mrr_before", before.mrr());
            h.put("eval_mrr_after", after.mrr());
        }
        return h;
    }

    /**
     * The largest partition a relation scores every entity of: with all_negs, or every relation under 1_vs_all
     * (0 when none does).
     */
    private int allEntitiesRows(ModelParameters params) {
        long max = 0;
        for (int r = 0; r < params.allNegatives.length; r++) {
            if (params.allNegatives[r] || s.oneVsAll()) {
                for (int type : new int[] {params.lhsType[r], params.rhsType[r]}) {
                    max = Math.max(
                            max,
                            meta.largestPartition(config.entities().get(type).name()));
                }
            }
        }
        return (int) max;
    }
}
