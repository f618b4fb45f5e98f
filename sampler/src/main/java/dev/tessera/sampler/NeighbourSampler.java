package dev.tessera.sampler;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * GraphSAGE-style layer-wise neighbour sampling: starting from a batch's seeds, each destination node keeps
 * at most {@code fanout} of its neighbours, drawn uniformly without replacement (all of them when it has
 * fewer), and the union of destinations and their draws becomes the next (lower) layer's node set.
 * {@code fanouts[0]} is the input layer's fan-out, as in GraphSAGE's "25, 10". Deterministic: the same seeds
 * and seed give the same blocks, whatever thread samples them.
 */
public final class NeighbourSampler {
    private final Neighbourhood graph;
    private final int[] fanouts;

    public NeighbourSampler(Neighbourhood graph, int[] fanouts) {
        for (int f : fanouts) {
            if (f < 1) {
                throw new IllegalArgumentException("fan-outs must be at least 1, got " + Arrays.toString(fanouts));
            }
        }
        this.graph = graph;
        this.fanouts = fanouts.clone();
    }

    public SampledBlocks sample(int[] seeds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int layers = fanouts.length;
        int[][] layerNodes = new int[layers + 1][];
        int[][] rowStart = new int[layers][];
        int[][] sources = new int[layers][];
        layerNodes[layers] = seeds.clone();
        int maxFanout = Arrays.stream(fanouts).max().orElse(1);
        int[] picked = new int[maxFanout];
        int[] positions = new int[maxFanout];
        for (int l = layers - 1; l >= 0; l--) {
            int[] dst = layerNodes[l + 1];
            int fanout = fanouts[l];
            LocalIndex local = new LocalIndex(dst.length * (fanout + 1));
            for (int v : dst) {
                local.add(v);
            }
            int[] start = new int[dst.length + 1];
            int[] src = new int[dst.length * fanout];
            int n = 0;
            for (int i = 0; i < dst.length; i++) {
                int count = draw(dst[i], fanout, random, picked, positions);
                for (int j = 0; j < count; j++) {
                    src[n++] = local.add(picked[j]);
                }
                start[i + 1] = n;
            }
            rowStart[l] = start;
            sources[l] = Arrays.copyOf(src, n);
            layerNodes[l] = local.nodes();
        }
        return new SampledBlocks(layerNodes, rowStart, sources);
    }

    /** Writes up to {@code fanout} distinct neighbours of {@code node} into {@code out}; returns how many. */
    private int draw(int node, int fanout, SplittableRandom random, int[] out, int[] positions) {
        int degree = graph.degree(node);
        if (degree <= fanout) {
            graph.neighbours(node, 0, degree, out);
            return degree;
        }
        // Distinct positions by rejection: fan-outs are small next to the degrees that reach this branch.
        for (int j = 0; j < fanout; j++) {
            int p;
            boolean repeated;
            do {
                p = random.nextInt(degree);
                repeated = false;
                for (int k = 0; k < j; k++) {
                    repeated |= positions[k] == p;
                }
            } while (repeated);
            positions[j] = p;
        }
        int[] one = new int[1];
        for (int j = 0; j < fanout; j++) {
            graph.neighbours(node, positions[j], 1, one);
            out[j] = one[0];
        }
        return fanout;
    }

    /** Global node → position in a layer's node list, in insertion order (open addressing, no boxing). */
    private static final class LocalIndex {
        private int[] keys;
        private int[] values;
        private int[] order;
        private int size;

        LocalIndex(int expected) {
            int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
            keys = new int[capacity];
            Arrays.fill(keys, -1);
            values = new int[capacity];
            order = new int[Math.max(4, expected)];
        }

        /** The node's local index, adding it at the end when new. */
        int add(int node) {
            int mask = keys.length - 1;
            int h = mix(node) & mask;
            while (keys[h] != -1) {
                if (keys[h] == node) {
                    return values[h];
                }
                h = (h + 1) & mask;
            }
            keys[h] = node;
            values[h] = size;
            if (size == order.length) {
                order = Arrays.copyOf(order, size * 2);
            }
            order[size] = node;
            return size++;
        }

        int[] nodes() {
            return Arrays.copyOf(order, size);
        }

        private static int mix(int x) {
            int h = x * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }
}
