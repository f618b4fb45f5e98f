package dev.tessera.benchmarks;

import dev.tessera.core.config.BackendName;
import dev.tessera.model.backend.Backends;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.model.backend.JavaBackend;
import dev.tessera.model.backend.OpenBlasBackend;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decides the CPU backend (issues 3 and 21): the three products of one training chunk — scores {@code abT} and
 * the two gradient products — on the chunk shapes the configs use and on a GCN-sized product, for the plain-Java
 * kernels, OpenBLAS (on the arrays in place, and staged through native copies as without the trainer's JNI
 * library) and ND4J (the optional module; operands staged into its off-heap arrays).
 * Run: {@code bin/run benchmarks BackendBenchmark} (it delegates to JMH's runner with these settings).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class BackendBenchmark {
    /**
     * chunk size × candidates × dimension: TransE (50 negatives), ComplEx d=100 and d=400 (1000 negatives); and
     * a GCN layer's dense product on Cora's shape (2,708 nodes × 1,433 features × 16 hidden units).
     */
    @Param({"50x100x100", "50x1050x100", "50x1050x400", "2708x1433x16"})
    public String shape;

    /** OpenBLAS in place (JNI critical regions, the default) and staged (operands copied to native buffers). */
    @Param({"java", "openblas", "openblas-staged", "nd4j"})
    public String backend;

    private DenseBackend be;
    private int n;
    private int m;
    private int d;
    private float[] a;
    private float[] b;
    private float[] s;
    private float[] outNm;
    private float[] outNd;
    private float[] outMd;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        n = Integer.parseInt(p[0]);
        m = Integer.parseInt(p[1]);
        d = Integer.parseInt(p[2]);
        be = switch (backend) {
            case "java" -> new JavaBackend();
            case "openblas" -> new OpenBlasBackend(true);
            case "openblas-staged" -> new OpenBlasBackend(false);
            case "nd4j" -> Backends.create(BackendName.ND4J);
            default -> throw new IllegalArgumentException("unknown backend " + backend);
        };
        Random r = new Random(1);
        a = random(r, n * d);
        b = random(r, m * d);
        s = random(r, n * m);
        outNm = new float[n * m];
        outNd = new float[n * d];
        outMd = new float[m * d];
    }

    private static float[] random(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** One chunk's forward and backward products (for one side). */
    @Benchmark
    public float chunk() {
        be.abT(a, b, outNm, n, m, d, false);
        be.ab(s, b, outNd, n, m, d, false);
        be.aTb(s, a, outMd, n, m, d, false);
        return outNm[0] + outNd[0] + outMd[0];
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[] {BackendBenchmark.class.getSimpleName()});
    }
}
