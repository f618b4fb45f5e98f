package dev.tessera.benchmarks;

import dev.tessera.Tessera;
import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.config.TrainingModeName;
import dev.tessera.core.util.ProcessMemory;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.EdgeColumns;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.storage.StagedDirectory;
import dev.tessera.storage.TrainedGraph;
import dev.tessera.trainer.Trainer;
import dev.tessera.trainer.TrainingConfig;
import dev.tessera.trainer.TrainingHeap;
import dev.tessera.trainer.TrainingListener;
import dev.tessera.trainer.eval.Evaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.openblas.global.openblas;

/**
 * Trains one config on a dataset and evaluates it as issue 3's PBG table does (filtered test MRR over the
 * test edges, both sides), measuring in the same run the machine's SGEMM rate with all cores — the ceiling
 * of this GEMM-bound workload. Prints one {@code key=value} line.
 *
 * <p>Usage: {@code TrainBenchmark --config benchmarks/configs/wn18rels-transe.yaml
 * [--data ../shared/data/wordnet30/wn18rels] [--work /tmp/tessera-train-bench] [--epochs N] [--seed S]
 * [--eval-limit N] [--sampled-negatives K] [--filtered true|false]}
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        Path config = Path.of(a.getOrDefault("config", "benchmarks/configs/wn18rels-transe.yaml"));
        Path data = Path.of(a.getOrDefault("data", "../shared/data/wordnet30/wn18rels"));
        Path work = Path.of(a.getOrDefault("work", System.getProperty("java.io.tmpdir") + "/tessera-train-bench"));
        Path graph = work.resolve("graph-" + config.getFileName());
        Path checkpoint = work.resolve("checkpoint-" + config.getFileName());
        if (!Files.exists(graph)) {
            BenchmarkGraphs.importTsv(config, data, graph);
        }
        StagedDirectory.deleteTree(checkpoint);
        Path effective = config;
        String text = Files.readString(config);
        for (String key : new String[] {"num_epochs", "seed"}) {
            String value = a.get(key.equals("num_epochs") ? "epochs" : key);
            if (value != null) {
                text = ConfigText.set(text, key, value);
            }
        }
        if (!text.equals(Files.readString(config))) {
            effective = work.resolve("config-" + config.getFileName());
            Files.writeString(effective, text);
        }
        TrainingHeap.keepTight();
        Trainer.Result r = Tessera.train(effective, graph, checkpoint, new TrainingListener() {
            @Override
            public void onEpoch(int epoch, double loss, double edgesPerSecond) {
                System.err.printf(Locale.ROOT, "epoch %d loss %.4f %,.0f edges/s%n", epoch + 1, loss, edgesPerSecond);
            }
        });
        // Before evaluation, which holds every embedding in memory whatever the partitioning, and before the
        // SGEMM ceiling, whose OpenBLAS thread buffers and native matrices are not the trainer's.
        long trainPeakRss = ProcessMemory.peakRssMb();
        double sgemm = sgemmGflops();
        long evalStart = System.nanoTime();
        Map<String, Object> m;
        double gemm;
        try (TrainedGraph t = TrainedGraph.open(graph, checkpoint)) {
            gemm = gemm(TrainingConfig.merge(t.graph().meta().schema(), ConfigLoader.load(effective)), r, t.graph());
            m = new Evaluator(t.graph(), t.checkpoint(), OpenBlasBackend.bestAvailable())
                    .evaluate(
                            Split.TEST,
                            Boolean.parseBoolean(a.getOrDefault("filtered", "true")),
                            Integer.parseInt(a.getOrDefault("eval-limit", "0")),
                            Integer.parseInt(a.getOrDefault("sampled-negatives", "0")),
                            0);
        }
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "benchmark=train config=%s epochs=%d seconds=%.1f edges_per_s=%.0f "
                        + "final_loss=%.4f mrr=%s hits1=%s hits10=%s hits50=%s ranks=%s eval_seconds=%.1f "
                        + "sgemm_gflops=%.1f gemm_gflops=%.1f sgemm_fraction=%.3f cores=%d seed=%d train_peak_rss_mb=%d "
                        + "partition_loads=%d io_wait_seconds=%.1f%n",
                config.getFileName(),
                r.epochs(),
                r.seconds(),
                r.edgesPerSecond(),
                r.finalLoss(),
                m.get("mrr"),
                m.get("hits1"),
                m.get("hits10"),
                m.get("hits50"),
                m.get("count"),
                evalSeconds,
                sgemm,
                gemm / 1e9,
                gemm / 1e9 / sgemm,
                Runtime.getRuntime().availableProcessors(),
                ConfigLoader.load(effective).seed(),
                trainPeakRss,
                r.partitionLoads(),
                r.waitSeconds());
    }

    /**
     * GEMM work the training did per second: per positive, on each side, the score product and its two gradient
     * products against m candidates, 2 · 3 · 2·m·d flops; m is the chunk plus its uniform candidates, or every
     * entity of a partition (1_vs_all or k_vs_all, or all_negs on every relation; the largest partition of the
     * first type). Under k_vs_all the products are per distinct query, not per positive.
     */
    static double gemm(TesseraConfig c, Trainer.Result r, GraphStore graph) {
        GraphMeta meta = graph.meta();
        double m = c.numBatchNegs() + c.numUniformNegs();
        if (c.trainingMode() != TrainingModeName.CHUNKED
                || c.relations().stream().allMatch(RelationConfig::allNegs)) {
            m = Arrays.stream(meta.entityCounts(c.entities().get(0).name()))
                    .max()
                    .orElse(0);
        }
        double queriesPerPositive = c.trainingMode() == TrainingModeName.K_VS_ALL ? queriesPerPositive(graph) : 1;
        return r.edgesPerSecond() * queriesPerPositive * 6 * m * c.dimension() * 2;
    }

    /** Distinct (relation, head) and (relation, tail) queries of the training edges, per bucket, per side and edge. */
    static double queriesPerPositive(GraphStore graph) {
        int p = graph.meta().numPartitions();
        long queries = 0;
        long edges = 0;
        EdgeColumns bucket = new EdgeColumns();
        for (int l = 0; l < p; l++) {
            for (int r = 0; r < p; r++) {
                bucket.size = 0;
                try (EdgeBlockCursor cursor = graph.edges(Split.TRAIN, l, r)) {
                    cursor.readInto(bucket);
                }
                for (int[] rows : new int[][] {bucket.lhs, bucket.rhs}) {
                    long[] keys = new long[bucket.size];
                    for (int i = 0; i < bucket.size; i++) {
                        keys[i] = (long) bucket.rel[i] << 32 | rows[i];
                    }
                    queries += Arrays.stream(keys).distinct().count();
                }
                edges += bucket.size;
            }
        }
        return queries / (2.0 * Math.max(1, edges));
    }

    /** The machine's single-precision GEMM rate on a large product with every core (best of 5). */
    static double sgemmGflops() {
        int m = 1000;
        int k = 400;
        int n = 10000;
        // Native buffers: Java arrays would be copied in and out around every call and understate the rate.
        try (org.bytedeco.javacpp.FloatPointer x = new org.bytedeco.javacpp.FloatPointer((long) m * k);
                org.bytedeco.javacpp.FloatPointer y = new org.bytedeco.javacpp.FloatPointer((long) k * n);
                org.bytedeco.javacpp.FloatPointer z = new org.bytedeco.javacpp.FloatPointer((long) m * n)) {
            x.fill(0);
            y.fill(0);
            openblas.blas_set_num_threads(Runtime.getRuntime().availableProcessors());
            double best = 0;
            for (int rep = 0; rep < 10; rep++) {
                long t = System.nanoTime();
                openblas.cblas_sgemm(
                        openblas.CblasRowMajor,
                        openblas.CblasNoTrans,
                        openblas.CblasNoTrans,
                        m,
                        n,
                        k,
                        1f,
                        x,
                        k,
                        y,
                        n,
                        0f,
                        z,
                        n);
                best = Math.max(best, 2.0 * m * n * k / ((System.nanoTime() - t) / 1e9) / 1e9);
            }
            openblas.blas_set_num_threads(1);
            return best;
        }
    }
}
