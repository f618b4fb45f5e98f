package dev.tessera.benchmarks;

import dev.tessera.gcn.CsrMatrix;
import dev.tessera.gcn.NormalizedAdjacency;
import java.util.Collection;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * SpMM against its rooflines. {@code Â · H} for a 1M-node graph with skewed degrees (10 undirected edges per
 * node on average, laid out without and with locality) and H of k = 16 or 64 columns, next to a STREAM-style
 * copy and triad over arrays far larger than the caches and a random gather of H's rows, in the same run and on
 * the same cores (all parallel). SpMM reads
 * each stored entry once (column index and value, 8 bytes), the dense operand and writes the output: its
 * effective bandwidth counts that compulsory traffic once, and the ratio to STREAM triad is how close it
 * comes to the memory-bound ceiling. Run: {@code bin/run benchmarks SpmmBenchmark}; the last line is
 * {@code key=value}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx6g"})
public class SpmmBenchmark {
    static final int NODES = 1_000_000;
    static final int EDGES = 5_000_000;
    static final int STREAM_FLOATS = 32 << 20; // 128 MB per array

    @Param({"16", "64"})
    public int k;

    /** {@code random}: destinations uniform over all nodes (no locality at all, the worst case for the gathers);
     * {@code local}: destinations within a few thousand ids of the source, as after a locality-preserving
     * node ordering (real graphs renumbered by community or BFS order). */
    @Param({"random", "local"})
    public String layout;

    private CsrMatrix adjacency;
    /** Uniform row numbers, as many as the adjacency has entries: the random-gather ceiling's reads. */
    private int[] gatherRows;

    private float[] dense;
    private float[] out;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setup() {
        adjacency = graph(layout);
        SplittableRandom r = new SplittableRandom(2);
        gatherRows = new int[adjacency.nonZeros()];
        for (int i = 0; i < gatherRows.length; i++) {
            gatherRows[i] = r.nextInt(NODES);
        }
        dense = new float[NODES * k];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) r.nextDouble();
        }
        out = new float[NODES * k];
        a = new float[STREAM_FLOATS];
        b = new float[STREAM_FLOATS];
        c = new float[STREAM_FLOATS];
        java.util.Arrays.fill(b, 1f);
        java.util.Arrays.fill(c, 2f);
    }

    /** Sources drawn with a power law (rank ⌊N·u²⌋): hubs and long rows, as in real graphs. */
    static CsrMatrix graph(String layout) {
        SplittableRandom r = new SplittableRandom(1);
        int[] src = new int[EDGES];
        int[] dst = new int[EDGES];
        for (int i = 0; i < EDGES; i++) {
            src[i] = (int) (NODES * Math.pow(r.nextDouble(), 2));
            dst[i] = layout.equals("local") ? Math.floorMod(src[i] + r.nextInt(8192) - 4096, NODES) : r.nextInt(NODES);
        }
        return NormalizedAdjacency.of(NODES, src, dst);
    }

    @Benchmark
    public float[] spmm() {
        adjacency.multiply(dense, k, out);
        return out;
    }

    /**
     * The random-gather ceiling: as many k-float rows as {@code Â} has entries, each at a uniform row of an array
     * the size of H, with one float read per 64-byte cache line of the row (the line comes whole) into four
     * independent sums: the memory system's rate for such reads, with no arithmetic to speak of. For k = 16 a
     * row is one line.
     */
    @Benchmark
    public float[] randomGather() {
        int[] rows = gatherRows;
        float[] h = dense;
        int n = rows.length;
        int kk = k;
        IntStream.range(0, 64).parallel().forEach(t -> {
            int from = (int) ((long) n * t / 64);
            int to = (int) ((long) n * (t + 1) / 64);
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int i = from;
            for (; i + 3 < to; i += 4) {
                int d0 = rows[i] * kk;
                int d1 = rows[i + 1] * kk;
                int d2 = rows[i + 2] * kk;
                int d3 = rows[i + 3] * kk;
                for (int j = 0; j < kk; j += 16) {
                    s0 += h[d0 + j];
                    s1 += h[d1 + j];
                    s2 += h[d2 + j];
                    s3 += h[d3 + j];
                }
            }
            for (; i < to; i++) {
                for (int j = 0; j < kk; j += 16) {
                    s0 += h[rows[i] * kk + j];
                }
            }
            out[t] = s0 + s1 + s2 + s3;
        });
        return out;
    }

    /** STREAM copy, a = b, parallel over blocks like the SpMM. */
    @Benchmark
    public float[] streamCopy() {
        IntStream.range(0, 64).parallel().forEach(t -> {
            int from = (int) ((long) STREAM_FLOATS * t / 64);
            int to = (int) ((long) STREAM_FLOATS * (t + 1) / 64);
            System.arraycopy(b, from, a, from, to - from);
        });
        return a;
    }

    /** STREAM triad, a = b + s·c. */
    @Benchmark
    public float[] streamTriad() {
        IntStream.range(0, 64).parallel().forEach(t -> {
            int from = (int) ((long) STREAM_FLOATS * t / 64);
            int to = (int) ((long) STREAM_FLOATS * (t + 1) / 64);
            for (int i = from; i < to; i++) {
                a[i] = b[i] + 3f * c[i];
            }
        });
        return a;
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder()
                .include(args.length > 0 ? args[0] : SpmmBenchmark.class.getSimpleName())
                .build();
        Collection<RunResult> results = new Runner(options).run();
        double copy = 0;
        double triad = 0;
        java.util.Map<String, Double> spmm = new java.util.TreeMap<>();
        java.util.Map<Integer, Double> gather = new java.util.TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            double opsPerSecond = r.getPrimaryResult().getScore();
            String key = r.getParams().getParam("layout") + "_k" + r.getParams().getParam("k");
            if (name.endsWith("streamCopy")) {
                copy = Math.max(copy, opsPerSecond * 2.0 * 4 * STREAM_FLOATS / 1e9);
            } else if (name.endsWith("streamTriad")) {
                triad = Math.max(triad, opsPerSecond * 3.0 * 4 * STREAM_FLOATS / 1e9);
            } else if (name.endsWith("randomGather")) {
                // rows gathered per second, the fastest over both layouts (the reads are the same)
                int kk = Integer.parseInt(r.getParams().getParam("k"));
                long rows = graph("random").nonZeros();
                gather.merge(kk, opsPerSecond * rows, Math::max);
            } else {
                spmm.put(key, opsPerSecond);
            }
        }
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "benchmark=spmm nodes=%d edges=%d cores=%d stream_copy_gb_s=%.2f stream_triad_gb_s=%.2f",
                NODES,
                EDGES,
                Runtime.getRuntime().availableProcessors(),
                copy,
                triad));
        for (var e : spmm.entrySet()) {
            int kk = Integer.parseInt(e.getKey().substring(e.getKey().indexOf("_k") + 2));
            String key = e.getKey();
            long nnz = graph(key.substring(0, key.indexOf("_k"))).nonZeros();
            double perSecond = e.getValue();
            double gflops = perSecond * 2.0 * nnz * kk / 1e9;
            // compulsory traffic: entries (index + value), row starts, the dense operand read once, the output written
            double bytes = nnz * 8.0 + (NODES + 1) * 4.0 + 2.0 * NODES * kk * 4;
            double gbs = perSecond * bytes / 1e9;
            // entries per second against random rows gathered per second: the same reads, nothing else
            double gatherRatio = perSecond * nnz / gather.getOrDefault(kk, Double.NaN);
            line.append(String.format(
                    Locale.ROOT,
                    " %s_gflops=%.2f %s_effective_gb_s=%.2f %s_roofline_ratio=%.3f %s_gather_ratio=%.3f",
                    key,
                    gflops,
                    key,
                    gbs,
                    key,
                    gbs / triad,
                    key,
                    gatherRatio));
        }
        for (var g : gather.entrySet()) {
            line.append(String.format(
                    Locale.ROOT,
                    " gather_k%d_rows_per_s=%.0f gather_k%d_gb_s=%.2f",
                    g.getKey(),
                    g.getValue(),
                    g.getKey(),
                    g.getValue() * g.getKey() * 4 / 1e9));
        }
        System.out.println(line);
    }
}
