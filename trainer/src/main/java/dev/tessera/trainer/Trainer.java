package dev.tessera.trainer;

import dev.tessera.model.ModelParameters;

import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.Checkpoint;
import dev.tessera.sampler.AliasTable;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.trainer.eval.RankingMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The single-machine training loop (DESIGN.md §3.2): for each epoch, buckets in the configured order; for
 * each bucket its partitions through the {@link PartitionBuffer}, its edges shuffled into batches, and
 * Hogwild workers training chunks lock-free. Every epoch ends in a checkpoint whose pointer flips
 * atomically; a run resumes after the last complete epoch.
 */
public final class Trainer {
    /** Held-out edges per bucket for the before/after evaluation: enough for a stable MRR, cheap to rank. */
    static final int MAX_HELD_OUT = 1000;
    private final GraphStore graph;
    private final CheckpointStore checkpoints;
    private final TesseraConfig config;
    private final TrainingSettings s;
    private final DenseBackend backend;
    /**
     * Arrays of evicted partitions, for the next load of their type (oldest eviction first): swapping then
     * allocates nothing, and a load streams into them behind their write-back, so the heap (and the
     * process's memory) stays at what the buffer holds.
     */
    private final java.util.concurrent.ConcurrentLinkedDeque<Spare> spare =
            new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final GraphMeta meta;
    private final int[] partsOfType;
    /** The featurized types' feature tables (set when training starts). */
    private FeatureTables featureTables;

    /** Results of a run: what the CLI's {@code --json} reports. */
    public record Result(int epochs, double seconds, double edgesPerSecond, double finalLoss, double waitSeconds,
                         int partitionLoads, List<Map<String, Object>> history) {
    }

    public Trainer(GraphStore graph, CheckpointStore checkpoints, TesseraConfig config, DenseBackend backend) {
        this.graph = graph;
        this.checkpoints = checkpoints;
        this.config = config;
        this.s = TrainingSettings.of(config);
        this.backend = backend;
        this.meta = graph.meta();
        this.partsOfType = config.entities().stream().mapToInt(EntityTypeConfig::numPartitions).toArray();
        for (int t = 0; t < partsOfType.length; t++) {
            if (meta.entityCounts(config.entities().get(t).name()).length != partsOfType[t]) {
                throw new IllegalArgumentException("the config partitions entity type '"
                        + config.entities().get(t).name() + "' into " + partsOfType[t]
                        + " but the graph was imported with " + meta.entityCounts(config.entities().get(t).name()).length);
            }
        }
    }

    public Result train(TrainingListener listener) {
        long started = System.nanoTime();
        int d = s.dimension();
        ModelParameters params = new ModelParameters(config, d);
        featureTables = FeatureTables.of(config, graph, d);
        Optional<Checkpoint> last = checkpoints.latest();
        if (last.isPresent()) {
            checkpoints.config().ifPresent(json -> checkSameModel(
                    dev.tessera.core.config.ConfigLoader.parse(json, checkpoints.dir() + " (training config)"), config,
                    checkpoints.dir()));
        }
        // Scoring reads this config: it is written only once it is known to describe the stored model.
        checkpoints.writeConfig(config.toJson());
        int epoch = 0;
        int version = 0;
        int[][] partitionVersion = new int[partsOfType.length][];
        for (int t = 0; t < partsOfType.length; t++) {
            partitionVersion[t] = new int[partsOfType[t]];
        }
        List<Map<String, Object>> history = new ArrayList<>();
        if (last.isPresent()) {
            Checkpoint c = last.get();
            if (c.dimension() != d) {
                throw new IllegalArgumentException("checkpoint " + checkpoints.dir() + " has dimension " + c.dimension()
                        + " but the config asks for " + d);
            }
            epoch = c.epochs();
            version = c.version();
            partitionVersion = c.partitionVersion();
            history.addAll(c.history());
            params.read(checkpoints, c.paramsVersion(), true);
            featureTables.read(checkpoints, c.paramsVersion());
        } else {
            featureTables.initialize(s.initScale(), s.seed());
        }
        long edgesTrained = 0;
        double lastLoss = Double.NaN;
        double waitSeconds = 0;
        int loads = 0;
        long trainEdges = meta.edgeCount(Split.TRAIN);
        ExecutorService pool = Executors.newFixedThreadPool(s.workers(), r -> {
            Thread t = new Thread(r, "hogwild");
            t.setDaemon(true);
            return t;
        });
        Worker[] workers = new Worker[s.workers()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(new ChunkTrainer(s, backend, params), allNegativesRows(params) == 0 ? null
                    : ChunkTrainer.allNegatives(s, backend, params, allNegativesRows(params)));
        }
        // One buffer for the whole run: partitions resident when an epoch ends were just written to the
        // committed version, so the next epoch goes on with them instead of reading them back.
        EpochVersions current = new EpochVersions();
        PartitionBuffer.Source source = (type, part) -> load(type, part, current.versionOf(type, part), current.epoch);
        PartitionBuffer.Sink sink = new PartitionBuffer.Sink() {
            @Override
            public void store(EmbeddingPartition p, java.util.function.IntConsumer rowsStored) {
                if (p.features != null) {
                    return; // derived from the feature table: written once per epoch, by writeFeaturized
                }
                checkpoints.writePartition(current.working, p.type, p.part, p.embeddings, p.state, p.rows, p.d,
                        rowsStored);
                current.markWritten(p.type, p.part);
            }

            @Override
            public void recycle(EmbeddingPartition p, WriteBackProgress writeBack) {
                if (p.features == null) {
                    spare.add(new Spare(p, writeBack));
                }
            }
        };
        BucketEdges edges = new BucketEdges();
        try (PartitionBuffer buffer = new PartitionBuffer(capacity(), source, sink)) {
            for (; epoch < s.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                int working = version + 1;
                current.start(epoch, working, partitionVersion, partsOfType);
                long waitBefore = buffer.waitNanos();
                int loadsBefore = buffer.loads();
                int p = meta.numPartitions();
                List<int[]> order = BucketOrder.of(s.bucketOrder(), p, s.bufferPartitions(), s.seed() + epoch);
                DoubleAdder epochLoss = new DoubleAdder();
                long epochEdges = 0;
                RankingMetrics before = new RankingMetrics();
                RankingMetrics after = new RankingMetrics();
                for (int b = 0; b < order.size(); b++) {
                    int[] bucket = order.get(b);
                    if (meta.edgeCount(Split.TRAIN, bucket[0], bucket[1]) == 0) {
                        continue;
                    }
                    Set<Long> needed = partitionsOf(bucket, params);
                    Map<Long, EmbeddingPartition> parts = buffer.acquire(needed);
                    int[] next = nextNonEmpty(order, b + 1);
                    if (next != null) {
                        buffer.prefetch(partitionsOf(next, params), needed);
                    }
                    edges.read(graph, Split.TRAIN, bucket[0], bucket[1]);
                    int heldOut = (int) Math.min(MAX_HELD_OUT, Math.round(edges.size * s.evalFraction()));
                    long bucketSeed = s.seed() * 1_000_003L + bucket[0] * 65_537L + bucket[1];
                    edges.shuffle(new SplittableRandom(bucketSeed),
                            new SplittableRandom(bucketSeed ^ (epoch + 1) * 0x9E3779B97F4A7C15L), s.batchSize(),
                            heldOut, params.chunkGroup);
                    int trained = edges.size - heldOut;
                    // Before and after rank against the same sampled candidates, so the change is the model's.
                    rankHeldOut(edges, trained, bucket, parts, params, workers[0],
                            new SplittableRandom(bucketSeed + epoch), before);
                    epochLoss.add(trainBucket(edges, bucket, parts, params, workers, pool, epoch, b));
                    rankHeldOut(edges, trained, bucket, parts, params, workers[0],
                            new SplittableRandom(bucketSeed + epoch), after);
                    epochEdges += trained;
                    listener.onBucket(epoch, b, order.size(), epochEdges, trainEdges,
                            epochLoss.sum() / Math.max(1, epochEdges));
                }
                buffer.flushAll();
                writeFeaturized(current);
                waitSeconds += (buffer.waitNanos() - waitBefore) / 1e9;
                loads += buffer.loads() - loadsBefore;
                params.write(checkpoints, working);
                featureTables.write(checkpoints, working);
                int[][] nowVersion = new int[partsOfType.length][];
                for (int t = 0; t < partsOfType.length; t++) {
                    nowVersion[t] = new int[partsOfType[t]];
                    for (int q = 0; q < partsOfType[t]; q++) {
                        nowVersion[t][q] = current.versionOf(t, q);
                    }
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                lastLoss = epochLoss.sum() / Math.max(1, epochEdges);
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("epoch", epoch + 1);
                h.put("loss", lastLoss);
                h.put("seconds", seconds);
                h.put("edges_per_s", epochEdges / Math.max(seconds, 1e-9));
                if (after.count() > 0) {
                    h.put("eval_mrr_before", before.mrr());
                    h.put("eval_mrr_after", after.mrr());
                }
                history.add(h);
                checkpoints.commit(new Checkpoint(working, epoch + 1, nowVersion, working, d, history));
                TrainingReport.write(checkpoints.dir(), "Tessera training: " + checkpoints.dir().getFileName(), history);
                dropUnreferenced(version, nowVersion);
                partitionVersion = nowVersion;
                version = working;
                edgesTrained += epochEdges;
                listener.onEpoch(epoch, lastLoss, epochEdges / Math.max(seconds, 1e-9));
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(epoch, seconds, edgesTrained / Math.max(seconds, 1e-9), lastLoss, waitSeconds, loads,
                history);
    }

    /**
     * A checkpoint's parameters mean something only under the settings that trained them: resuming with
     * another comparator, operator, dimension, global embedding or featurized setting is refused.
     */
    public static void checkSameModel(TesseraConfig trained, TesseraConfig config, java.nio.file.Path dir) {
        java.util.List<String> diffs = new ArrayList<>();
        for (String key : List.of("dimension", "comparator", "global_emb", "bias", "dynamic_relations")) {
            if (!String.valueOf(trained.get(key)).equals(String.valueOf(config.get(key)))) {
                diffs.add(key + " " + trained.get(key) + " (now " + config.get(key) + ")");
            }
        }
        for (var type : config.entities()) {
            boolean was = trained.entities().stream().anyMatch(e -> e.name().equals(type.name()) && e.featurized());
            if (was != type.featurized()) {
                diffs.add("entity type '" + type.name() + "' featurized " + was + " (now " + type.featurized() + ")");
            }
        }
        if (trained.relations().size() != config.relations().size()) {
            diffs.add(trained.relations().size() + " relations (now " + config.relations().size() + ")");
        } else {
            for (int r = 0; r < trained.relations().size(); r++) {
                String was = trained.relations().get(r).operator();
                String now = config.relations().get(r).operator();
                if (!was.equals(now)) {
                    diffs.add("relation '" + config.relations().get(r).name() + "' operator " + was + " (now " + now + ")");
                }
            }
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + dir + " was trained with " + diffs
                    + "; resume with the same model settings or train into a new checkpoint directory");
        }
    }

    /** Partitions the buffer must hold: the configured count, and at least what one bucket needs. */
    private int capacity() {
        int unpartitioned = 0;
        int partitioned = 0;
        for (int n : partsOfType) {
            if (n == 1) {
                unpartitioned++;
            } else {
                partitioned++;
            }
        }
        return unpartitioned + Math.max(s.bufferPartitions(), 2) * Math.max(1, partitioned);
    }

    private int[] nextNonEmpty(List<int[]> order, int from) {
        for (int i = from; i < order.size(); i++) {
            int[] b = order.get(i);
            if (meta.edgeCount(Split.TRAIN, b[0], b[1]) > 0) {
                return b;
            }
        }
        return null;
    }

    /** The partitions of every type a bucket's relations touch (unpartitioned types live in partition 0). */
    private Set<Long> partitionsOf(int[] bucket, ModelParameters params) {
        Set<Long> keys = new HashSet<>();
        for (int r = 0; r < params.lhsType.length; r++) {
            int lt = params.lhsType[r];
            int rt = params.rhsType[r];
            if (partsOfType[lt] == 1 && bucket[0] != 0 || partsOfType[rt] == 1 && bucket[1] != 0) {
                continue;
            }
            keys.add(PartitionBuffer.key(lt, partsOfType[lt] == 1 ? 0 : bucket[0]));
            keys.add(PartitionBuffer.key(rt, partsOfType[rt] == 1 ? 0 : bucket[1]));
        }
        return keys;
    }

    private EmbeddingPartition load(int type, int part, int fromVersion, int epoch) {
        long[] counts = meta.entityCounts(config.entities().get(type).name());
        int rows = (int) counts[part];
        EmbeddingPartition table = featureTables.of(type);
        if (table != null) {
            // Its rows are computed from the table on every gather; only the features are needed.
            return withDegrees(EmbeddingPartition.featurized(type, part, rows,
                    FeaturizedRows.load(graph, type, config.entities().get(type).name(), part, rows), table));
        }
        EmbeddingPartition p = null;
        WriteBackProgress previousWrite = null;
        for (Spare q : spare) {
            if (q.arrays.type == type && q.arrays.fits(rows) && spare.remove(q)) {
                p = new EmbeddingPartition(type, part, rows, s.dimension(), q.arrays);
                previousWrite = q.writeBack;
                break;
            }
        }
        if (p == null) {
            p = EmbeddingPartition.withCapacity(type, part, rows, s.dimension(),
                    (int) java.util.Arrays.stream(counts).max().orElse(rows));
            previousWrite = WriteBackProgress.finished();
        }
        if (fromVersion > 0) {
            checkpoints.readPartition(fromVersion, type, part, p.embeddings, p.state, rows, s.dimension(),
                    previousWrite::awaitStored);
        } else {
            previousWrite.awaitFinished();
            p.initialize(s.initScale(), s.seed());
        }
        return withDegrees(p);
    }

    private EmbeddingPartition withDegrees(EmbeddingPartition p) {
        if (s.degreeNegatives() > 0) {
            int[][] degrees = graph.degrees(p.type, p.part, p.rows);
            p.degrees = AliasTable.ofDegrees(degrees[0], degrees[1], s.degreeExponent());
        }
        return p;
    }

    /**
     * Writes every partition of the featurized types into the epoch's version, its rows computed from the
     * feature table as it ends the epoch: readers of the checkpoint (evaluation, export, k-NN) then see
     * entity rows like any other type's, and none is stale from a table that kept training after the
     * partition was evicted.
     */
    private void writeFeaturized(EpochVersions current) {
        int d = s.dimension();
        for (int t = 0; t < partsOfType.length; t++) {
            EmbeddingPartition table = featureTables.of(t);
            if (table == null) {
                continue;
            }
            String type = config.entities().get(t).name();
            for (int q = 0; q < partsOfType[t]; q++) {
                int rows = Math.toIntExact(meta.entityCounts(type)[q]);
                float[] embeddings = new float[rows * d];
                FeaturizedRows.load(graph, t, type, q, rows).embedAll(table.embeddings, d, embeddings);
                checkpoints.writePartition(current.working, t, q, embeddings, new float[rows], rows, d);
                current.markWritten(t, q);
            }
        }
    }

    /**
     * PBG's per-bucket evaluation: held-out edges of the bucket (never trained on) ranked against sampled
     * candidates, before and after the bucket trains, so the history shows whether training generalises.
     */
    private void rankHeldOut(BucketEdges e, int trained, int[] bucket, Map<Long, EmbeddingPartition> parts,
                             ModelParameters params, Worker worker, SplittableRandom random, RankingMetrics m) {
        int i = trained;
        while (i < e.size) {
            int rel = e.rel[i];
            ChunkTrainer scorer = worker.of(rel, params);
            int end = chunkEnd(e, i, scorer.chunkSize(), params);
            scorer.rank(e.rel, e.lhs, e.rhs, i, end - i, partition(parts, params.lhsType[rel], bucket[0]),
                    partition(parts, params.rhsType[rel], bucket[1]), random, m);
            i = end;
        }
    }

    /**
     * Where partitions are read from and written to during the current epoch: its working version, and for
     * partitions not yet written in it, the version the last checkpoint names.
     */
    private static final class EpochVersions {
        volatile int epoch;
        volatile int working;
        volatile int[][] previous;
        volatile boolean[][] written;

        void start(int epoch, int working, int[][] previous, int[] partsOfType) {
            boolean[][] w = new boolean[partsOfType.length][];
            for (int t = 0; t < partsOfType.length; t++) {
                w[t] = new boolean[partsOfType[t]];
            }
            this.epoch = epoch;
            this.working = working;
            this.previous = previous;
            this.written = w;
        }

        synchronized void markWritten(int type, int part) {
            written[type][part] = true;
        }

        synchronized int versionOf(int type, int part) {
            return written[type][part] ? working : previous[type][part];
        }
    }

    /** An evicted partition's arrays, reusable row by row as its write-back progresses. */
    private record Spare(EmbeddingPartition arrays, WriteBackProgress writeBack) {
    }

    /** One Hogwild worker's chunk trainers: sampled candidates, and every entity for all_negs relations. */
    private record Worker(ChunkTrainer sampled, ChunkTrainer allNegatives) {
        ChunkTrainer of(int rel, ModelParameters params) {
            return params.allNegatives[rel] ? allNegatives : sampled;
        }

        void step() {
            sampled.step();
            if (allNegatives != null) {
                allNegatives.step();
            }
        }
    }

    /** The largest partition any all_negs relation scores against (0 when no relation asks for all_negs). */
    private int allNegativesRows(ModelParameters params) {
        long max = 0;
        for (int r = 0; r < params.allNegatives.length; r++) {
            if (params.allNegatives[r]) {
                for (int type : new int[] {params.lhsType[r], params.rhsType[r]}) {
                    for (long rows : meta.entityCounts(config.entities().get(type).name())) {
                        max = Math.max(max, rows);
                    }
                }
            }
        }
        return (int) max;
    }

    private EmbeddingPartition partition(Map<Long, EmbeddingPartition> parts, int type, int bucketSide) {
        return parts.get(PartitionBuffer.key(type, partsOfType[type] == 1 ? 0 : bucketSide));
    }

    private double trainBucket(BucketEdges e, int[] bucket, Map<Long, EmbeddingPartition> parts,
                               ModelParameters params, Worker[] workers, ExecutorService pool, int epoch, int b) {
        AtomicInteger nextBatch = new AtomicInteger();
        int batches = e.batches;
        DoubleAdder loss = new DoubleAdder();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < workers.length; w++) {
            Worker chunkTrainers = workers[w];
            SplittableRandom random = new SplittableRandom(s.seed() ^ (epoch * 1_000_003L + b * 101L + w));
            running.add(pool.submit(() -> {
                for (int batch = nextBatch.getAndIncrement(); batch < batches; batch = nextBatch.getAndIncrement()) {
                    int to = e.batchTo[batch];
                    int i = e.batchFrom[batch];
                    while (i < to) {
                        int rel = e.rel[i];
                        ChunkTrainer worker = chunkTrainers.of(rel, params);
                        int end = Math.min(to, i + worker.chunkSize()); // a batch holds one chunk group
                        loss.add(worker.train(e.rel, e.lhs, e.rhs, e.weight, i, end - i,
                                partition(parts, params.lhsType[rel], bucket[0]),
                                partition(parts, params.rhsType[rel], bucket[1]), random));
                        // By default one optimizer step per chunk, not per batch as PBG: on WordNet (20 epochs,
                        // seed 1) ComplEx d=100 reached filtered MRR 0.820 against 0.624 per batch, while TransE
                        // with the ranking loss reached 0.522 against 0.533 (Hits@10 0.916 against 0.948).
                        if (!s.stepPerBatch()) {
                            worker.step();
                        }
                        i = end;
                    }
                    if (s.stepPerBatch()) {
                        chunkTrainers.step();
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("training interrupted", ex);
            } catch (java.util.concurrent.ExecutionException ex) {
                throw ex.getCause() instanceof RuntimeException re ? re : new IllegalStateException(ex.getCause());
            }
        }
        return loss.sum();
    }


    /**
     * End of the held-out chunk that starts at edge {@code i}: at most {@code chunkSize} edges of the first
     * edge's chunk group (the sample is grouped, not cut into batches).
     */
    private static int chunkEnd(BucketEdges e, int i, int chunkSize, ModelParameters params) {
        int group = params.chunkGroup[e.rel[i]];
        int end = i;
        while (end < e.size && params.chunkGroup[e.rel[end]] == group && end - i < chunkSize) {
            end++;
        }
        return end;
    }

    /** Deletes data versions up to {@code upTo} that the new checkpoint no longer points at. */
    private void dropUnreferenced(int upTo, int[][] now) {
        Set<Integer> referenced = new HashSet<>();
        for (int[] row : now) {
            for (int v : row) {
                referenced.add(v);
            }
        }
        for (int v = 1; v <= upTo; v++) {
            if (!referenced.contains(v)) {
                checkpoints.deleteVersion(v);
            }
        }
    }
}
