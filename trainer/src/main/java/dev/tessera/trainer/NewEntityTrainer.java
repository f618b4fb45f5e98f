package dev.tessera.trainer;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.sampler.AliasTable;
import dev.tessera.storage.Checkpoint;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fits entities added to a trained graph into its model without retraining it: their rows, appended after
 * each partition's existing rows, are trained on their edges with the model's comparator, loss and negatives,
 * while every existing row, the relation parameters and the global embeddings stay exactly as trained (so
 * the neighbours and scores of everything else do not move). The partitions that gain rows are written as a
 * new data version of the checkpoint; {@link #train} returns the checkpoint to commit once the graph knows
 * the new entities, which this class does not do.
 *
 * <p>Holds in memory the partitions the new edges touch; meant for increments, not for a second graph.
 */
public final class NewEntityTrainer {
    /**
     * The new edges as coordinates: relation id, both ends' partition and offset, weight. Only edges with
     * an end at or past its partition's old row count train anything.
     */
    public record Edges(
            int size, int[] rel, int[] lhsPart, int[] lhsOffset, int[] rhsPart, int[] rhsOffset, float[] weight) {}

    /** The checkpoint to commit, the edges trained on (those touching a new row) and the last epoch's loss. */
    public record Result(Checkpoint checkpoint, int trainedEdges, double finalLoss) {}

    private final GraphStore graph;
    private final CheckpointStore checkpoints;
    private final TesseraConfig config;
    private final TrainingSettings s;
    private final DenseBackend backend;

    public NewEntityTrainer(GraphStore graph, CheckpointStore checkpoints, TesseraConfig config, DenseBackend backend) {
        this.graph = graph;
        this.checkpoints = checkpoints;
        this.config = config;
        this.s = TrainingSettings.of(config);
        this.backend = backend;
    }

    /**
     * Trains the new rows for {@code epochs} passes over the edges that touch them and writes every partition
     * that gained rows to a new data version.
     *
     * @param oldCounts    {@code [type][part]} rows the checkpoint holds
     * @param addedCounts  {@code [type][part]} rows appended
     * @param addedDegrees {@code [type][part]} out- and in-degrees {@code [2][added]} of the appended rows
     * @return the checkpoint to commit (the new version, pointing at the rewritten partitions) and a summary
     */
    public Result train(
            Edges edges,
            long[][] oldCounts,
            long[][] addedCounts,
            int[][][][] addedDegrees,
            int epochs,
            TrainingListener listener) {
        Checkpoint last = checkpoints
                .latest()
                .orElseThrow(() -> new IllegalArgumentException(
                        "checkpoint " + checkpoints.dir() + " holds no complete checkpoint yet; train first"));
        int d = s.dimension();
        ModelCompatibility.requireDimension(last, d, checkpoints.dir());
        ModelParameters params = new ModelParameters(config, d);
        params.read(checkpoints, last.paramsVersion(), true);
        // Edges by bucket, each bucket's partitions loaded once with room for their new rows.
        Map<Long, List<Integer>> buckets = new LinkedHashMap<>();
        Map<Long, EmbeddingPartition> parts = new HashMap<>();
        for (int i = 0; i < edges.size(); i++) {
            int lt = params.lhsType[edges.rel()[i]];
            int rt = params.rhsType[edges.rel()[i]];
            boolean touchesNew = edges.lhsOffset()[i] >= oldCounts[lt][edges.lhsPart()[i]]
                    || edges.rhsOffset()[i] >= oldCounts[rt][edges.rhsPart()[i]];
            if (!touchesNew) {
                continue;
            }
            buckets.computeIfAbsent(key(edges.lhsPart()[i], edges.rhsPart()[i]), b -> new ArrayList<>())
                    .add(i);
            for (long[] tp : new long[][] {{lt, edges.lhsPart()[i]}, {rt, edges.rhsPart()[i]}}) {
                parts.computeIfAbsent(
                        PartitionBuffer.key((int) tp[0], (int) tp[1]),
                        k -> load((int) tp[0], (int) tp[1], last, oldCounts, addedCounts, addedDegrees));
            }
        }
        int allNegativesRows =
                parts.values().stream().mapToInt(p -> p.rows).max().orElse(0);
        ChunkTrainers trainers = new ChunkTrainers(s, backend, params, allNegativesRows);
        trainers.freezeParameters();
        double finalLoss = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            long started = System.nanoTime();
            double[] lossAndEdges =
                    trainEpoch(edges, buckets, parts, params, trainers, new SplittableRandom(s.seed() * 31L + epoch));
            double seconds = (System.nanoTime() - started) / 1e9;
            finalLoss = lossAndEdges[0] / Math.max(1, lossAndEdges[1]);
            listener.onEpoch(epoch, finalLoss, lossAndEdges[1] / Math.max(seconds, 1e-9));
        }
        int trainedEdges = buckets.values().stream().mapToInt(List::size).sum();
        return new Result(writeGrown(last, parts, addedCounts), trainedEdges, finalLoss);
    }

    /** One pass over the new edges, bucket by bucket, in chunks of one relation; returns {loss, edges}. */
    private double[] trainEpoch(
            Edges edges,
            Map<Long, List<Integer>> buckets,
            Map<Long, EmbeddingPartition> parts,
            ModelParameters params,
            ChunkTrainers trainers,
            SplittableRandom random) {
        int c = s.chunkSize();
        int[] rel = new int[c];
        int[] lhs = new int[c];
        int[] rhs = new int[c];
        float[] weight = new float[c];
        double loss = 0;
        long trained = 0;
        for (Map.Entry<Long, List<Integer>> bucket : buckets.entrySet()) {
            List<Integer> order = shuffledByRelation(bucket.getValue(), edges.rel(), random);
            int lp = (int) (bucket.getKey() >>> 32);
            int rp = (int) (long) bucket.getKey();
            int i = 0;
            while (i < order.size()) {
                int r = edges.rel()[order.get(i)];
                ChunkTrainer t = trainers.of(r);
                int n = 0;
                while (i < order.size() && n < t.chunkSize() && edges.rel()[order.get(i)] == r) {
                    int e = order.get(i++);
                    rel[n] = r;
                    lhs[n] = edges.lhsOffset()[e];
                    rhs[n] = edges.rhsOffset()[e];
                    weight[n] = edges.weight()[e];
                    n++;
                }
                loss += t.train(
                        rel,
                        lhs,
                        rhs,
                        weight,
                        0,
                        n,
                        parts.get(PartitionBuffer.key(params.lhsType[r], lp)),
                        parts.get(PartitionBuffer.key(params.rhsType[r], rp)),
                        random);
                t.step();
                trained += n;
            }
        }
        return new double[] {loss, trained};
    }

    /** Writes every partition that gained rows to a new data version; returns the checkpoint naming it. */
    private Checkpoint writeGrown(Checkpoint last, Map<Long, EmbeddingPartition> parts, long[][] addedCounts) {
        int version = last.version() + 1;
        int[][] partitionVersion = new int[last.partitionVersion().length][];
        for (int t = 0; t < partitionVersion.length; t++) {
            partitionVersion[t] = last.partitionVersion()[t].clone();
        }
        for (EmbeddingPartition p : parts.values()) {
            if (addedCounts[p.type][p.part] > 0) {
                checkpoints.writePartition(version, p.type, p.part, p.embeddings, p.state, p.rows, s.dimension());
                partitionVersion[p.type][p.part] = version;
            }
        }
        return new Checkpoint(
                version, last.epochs(), partitionVersion, last.paramsVersion(), s.dimension(), last.history());
    }

    /** A partition's trained rows from the checkpoint, then its new rows initialised as training does. */
    private EmbeddingPartition load(
            int type, int part, Checkpoint last, long[][] oldCounts, long[][] addedCounts, int[][][][] addedDegrees) {
        int old = Math.toIntExact(oldCounts[type][part]);
        int added = Math.toIntExact(addedCounts[type][part]);
        int d = s.dimension();
        EmbeddingPartition p = new EmbeddingPartition(type, part, old + added, d);
        if (old > 0) {
            checkpoints.readPartition(last.partitionVersion()[type][part], type, part, p.embeddings, p.state, old, d);
        }
        // The same initial distribution the trained rows started from, from a seed of its own.
        SplittableRandom r = new SplittableRandom(
                s.seed() ^ 0x5DEECE66DL ^ ((long) type << 40) ^ ((long) part << 20) ^ ((long) old << 1));
        EmbeddingPartition.fillGaussian(p.embeddings, old * d, (old + added) * d, s.initScale(), r);
        p.frozenRows = old;
        if (s.degreeNegatives() > 0) {
            int[][] before = graph.degrees(type, part, old);
            int[] out = java.util.Arrays.copyOf(before[0], old + added);
            int[] in = java.util.Arrays.copyOf(before[1], old + added);
            if (added > 0) {
                System.arraycopy(addedDegrees[type][part][0], 0, out, old, added);
                System.arraycopy(addedDegrees[type][part][1], 0, in, old, added);
            }
            p.degrees = AliasTable.ofDegrees(out, in, s.degreeExponent());
        }
        return p;
    }

    /** The bucket's edges in a fresh random order, then grouped by relation (a chunk has one relation). */
    private static List<Integer> shuffledByRelation(List<Integer> edges, int[] rel, SplittableRandom random) {
        List<Integer> order = new ArrayList<>(edges);
        for (int i = order.size() - 1; i > 0; i--) {
            java.util.Collections.swap(order, i, random.nextInt(i + 1));
        }
        order.sort(java.util.Comparator.comparingInt(e -> rel[e]));
        return order;
    }

    private static long key(int lhsPart, int rhsPart) {
        return (long) lhsPart << 32 | (rhsPart & 0xffffffffL);
    }
}
