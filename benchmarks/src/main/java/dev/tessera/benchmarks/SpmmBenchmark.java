package dev.tessera.benchmarks;

import dev.tessera.gcn.CsrMatrix;
import dev.tessera.gcn.NodeOrder;
import dev.tessera.gcn.NormalizedAdjacency;
import dev.tessera.gcn.ScalarSpmmKernel;
import dev.tessera.gcn.SpmmKernel;
import dev.tessera.gcn.SymmetricAdjacency;
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
 * node on average) in four layouts and H of k = 16 or 64 columns, with the Vector API kernel and the scalar one,
 * next to a STREAM-style copy and triad over arrays far larger than the caches and a random gather of H's rows,
 * in the same run and on the same cores (all parallel). SpMM reads each stored entry once (column index and
 * value, 8 bytes), the dense operand and writes the output: its effective bandwidth counts that compulsory
 * traffic once, and the ratio to STREAM triad is how close it comes to the memory-bound ceiling. Run: {@code
 * bin/run benchmarks SpmmBenchmark}; the last line is {@code key=value}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx6g", "--add-modules=jdk.incubator.vector"})
public class SpmmBenchmark {
    static final int NODES = 1_000_000;
    static final int EDGES = 5_000_000;
    static final int STREAM_FLOATS = 32 << 20; // 128 MB per array
    /** Nodes per planted community, and the share of a node's edges that stay inside its community. */
    static final int COMMUNITY = 1024;

    static final double INSIDE = 0.9;
    private static final SpmmKernel SCALAR = new ScalarSpmmKernel();

    /** The product's operands. */
    @State(Scope.Benchmark)
    public static class Product {
        @Param({"16", "64"})
        public int k;

        /**
         * {@code random}: destinations uniform over all nodes (no locality at all, the worst case for the
         * gathers); {@code local}: destinations within a few thousand ids of the source (the best a renumbering
         * could give); {@code communities}: communities of {@value #COMMUNITY} nodes holding 90% of each node's
         * edges, their members scattered over the ids, as an import numbers a real graph; {@code communities_bfs}:
         * that graph renumbered by {@link NodeOrder#breadthFirst}, as full-batch GCN does.
         */
        @Param({"random", "local", "communities", "communities_bfs"})
        public String layout;

        CsrMatrix adjacency;
        float[] dense;
        float[] out;

        @Setup(Level.Trial)
        public void setup() {
            adjacency = graph(layout);
            dense = randomRows(k);
            out = new float[NODES * k];
        }
    }

    /** The random-gather ceiling's operands: uniform row numbers, as many as {@code Â} has entries. */
    @State(Scope.Benchmark)
    public static class Gather {
        @Param({"16", "64"})
        public int rowFloats;

        int[] rows;
        float[] dense;
        float[] sums = new float[64];

        @Setup(Level.Trial)
        public void setup() {
            SplittableRandom r = new SplittableRandom(2);
            rows = new int[GATHERS];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = r.nextInt(NODES);
            }
            dense = randomRows(rowFloats);
        }
    }

    /** STREAM's arrays. */
    @State(Scope.Benchmark)
    public static class Stream {
        float[] a = new float[STREAM_FLOATS];
        float[] b = new float[STREAM_FLOATS];
        float[] c = new float[STREAM_FLOATS];

        @Setup(Level.Trial)
        public void setup() {
            java.util.Arrays.fill(b, 1f);
            java.util.Arrays.fill(c, 2f);
        }
    }

    /** Rows read by one random gather: about as many as {@code Â} has entries (edges both ways, self-loops). */
    static final int GATHERS = 2 * EDGES + NODES;

    static float[] randomRows(int k) {
        SplittableRandom r = new SplittableRandom(2);
        float[] h = new float[NODES * k];
        for (int i = 0; i < h.length; i++) {
            h[i] = (float) r.nextDouble();
        }
        return h;
    }

    /** Sources drawn with a power law (rank ⌊N·u²⌋): hubs and long rows, as in real graphs. */
    static CsrMatrix graph(String layout) {
        SplittableRandom r = new SplittableRandom(1);
        int[] scatter = layout.startsWith("communities") ? permutation(NODES, r) : null;
        int[] src = new int[EDGES];
        int[] dst = new int[EDGES];
        for (int i = 0; i < EDGES; i++) {
            int s = (int) (NODES * Math.pow(r.nextDouble(), 2));
            src[i] = s;
            dst[i] = switch (layout) {
                case "random" -> r.nextInt(NODES);
                case "local" -> Math.floorMod(s + r.nextInt(8192) - 4096, NODES);
                default ->
                    r.nextDouble() < INSIDE
                            ? Math.min(NODES - 1, s / COMMUNITY * COMMUNITY + r.nextInt(COMMUNITY))
                            : r.nextInt(NODES);
            };
        }
        if (scatter != null) {
            NodeOrder.renumber(src, scatter);
            NodeOrder.renumber(dst, scatter);
        }
        if (layout.equals("communities_bfs")) {
            int[] newOfOld = NodeOrder.breadthFirst(SymmetricAdjacency.of(NODES, src, dst, false));
            NodeOrder.renumber(src, newOfOld);
            NodeOrder.renumber(dst, newOfOld);
        }
        return NormalizedAdjacency.of(NODES, src, dst);
    }

    private static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The product as GCN layers run it: the Vector API kernel (the fork adds its module). */
    @Benchmark
    public float[] spmm(Product p) {
        p.adjacency.multiply(p.dense, p.k, p.out);
        return p.out;
    }

    /** The same product with the scalar kernel, which JVMs without the Vector API module run. */
    @Benchmark
    public float[] spmmScalar(Product p) {
        p.adjacency.multiply(p.dense, p.k, p.out, SCALAR);
        return p.out;
    }

    /**
     * The random-gather ceiling: as many k-float rows as {@code Â} has entries, each at a uniform row of an array
     * the size of H, with one float read per 64-byte cache line of the row (the line comes whole) into four
     * independent sums: the memory system's rate for such reads, with no arithmetic to speak of. For k = 16 a
     * row is one line.
     */
    @Benchmark
    public float[] randomGather(Gather g) {
        int[] rows = g.rows;
        float[] h = g.dense;
        int n = rows.length;
        int kk = g.rowFloats;
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
            g.sums[t] = s0 + s1 + s2 + s3;
        });
        return g.sums;
    }

    /** STREAM copy, a = b, parallel over blocks like the SpMM. */
    @Benchmark
    public float[] streamCopy(Stream s) {
        IntStream.range(0, 64).parallel().forEach(t -> {
            int from = (int) ((long) STREAM_FLOATS * t / 64);
            int to = (int) ((long) STREAM_FLOATS * (t + 1) / 64);
            System.arraycopy(s.b, from, s.a, from, to - from);
        });
        return s.a;
    }

    /** STREAM triad, a = b + s·c. */
    @Benchmark
    public float[] streamTriad(Stream s) {
        float[] a = s.a;
        float[] b = s.b;
        float[] c = s.c;
        IntStream.range(0, 64).parallel().forEach(t -> {
            int from = (int) ((long) STREAM_FLOATS * t / 64);
            int to = (int) ((long) STREAM_FLOATS * (t + 1) / 64);
            for (int i = from; i < to; i++) {
                a[i] = b[i] + 3f * c[i];
            }
        });
        return a;
    }

    /** One SpMM measurement: layout, width and kernel; keys read {@code random_k16} (vector) or {@code random_k16_scalar}. */
    private record SpmmRun(String layout, int k, String kernel) implements Comparable<SpmmRun> {
        String key() {
            return layout + "_k" + k + (kernel.equals("vector") ? "" : "_" + kernel);
        }

        @Override
        public int compareTo(SpmmRun o) {
            return key().compareTo(o.key());
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder()
                .include(args.length > 0 ? args[0] : SpmmBenchmark.class.getSimpleName())
                .build();
        Collection<RunResult> results = new Runner(options).run();
        double copy = 0;
        double triad = 0;
        java.util.Map<SpmmRun, Double> spmm = new java.util.TreeMap<>();
        java.util.Map<Integer, Double> gather = new java.util.TreeMap<>();
        java.util.Map<String, Long> nonZeros = new java.util.HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            double opsPerSecond = r.getPrimaryResult().getScore();
            String layout = r.getParams().getParam("layout");
            if (name.endsWith("streamCopy")) {
                copy = Math.max(copy, opsPerSecond * 2.0 * 4 * STREAM_FLOATS / 1e9);
            } else if (name.endsWith("streamTriad")) {
                triad = Math.max(triad, opsPerSecond * 3.0 * 4 * STREAM_FLOATS / 1e9);
            } else if (name.endsWith("randomGather")) {
                // rows gathered per second
                gather.put(Integer.parseInt(r.getParams().getParam("rowFloats")), opsPerSecond * GATHERS);
            } else {
                int kk = Integer.parseInt(r.getParams().getParam("k"));
                spmm.put(new SpmmRun(layout, kk, name.endsWith("spmmScalar") ? "scalar" : "vector"), opsPerSecond);
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
            SpmmRun run = e.getKey();
            long nnz = nonZeros.computeIfAbsent(run.layout(), l -> (long) graph(l).nonZeros());
            double perSecond = e.getValue();
            double gflops = perSecond * 2.0 * nnz * run.k() / 1e9;
            // compulsory traffic: entries (index + value), row starts, the dense operand read once, the output written
            double bytes = nnz * 8.0 + (NODES + 1) * 4.0 + 2.0 * NODES * run.k() * 4;
            double gbs = perSecond * bytes / 1e9;
            // entries per second against random rows gathered per second: the same reads, nothing else
            double gatherRatio = perSecond * nnz / gather.getOrDefault(run.k(), Double.NaN);
            String key = run.key();
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
            Double scalar = spmm.get(new SpmmRun(run.layout(), run.k(), "scalar"));
            if (run.kernel().equals("vector") && scalar != null) {
                line.append(String.format(Locale.ROOT, " %s_over_scalar=%.2f", key, perSecond / scalar));
            }
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
