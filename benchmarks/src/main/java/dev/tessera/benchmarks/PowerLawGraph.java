package dev.tessera.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A deterministic power-law multi-relation graph written as TSV ({@code src rel dst}). Endpoints follow a
 * Chung–Lu-style skew (node rank {@code floor(N·u^skew)}), scattered over ids by a multiplicative hash so
 * hubs are not clustered by id; relations are skewed too, as in real knowledge graphs.
 */
public final class PowerLawGraph {
    private PowerLawGraph() {}

    public static void write(Path file, long edges, long nodes, int relations, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        EdgeFile.write(file, edges, (i, sb) -> {
            long src = node(random, nodes, 2.0);
            long dst = node(random, nodes, 2.0);
            int rel = (int) (relations * Math.pow(random.nextDouble(), 2.0));
            sb.append('n')
                    .append(src)
                    .append('\t')
                    .append('r')
                    .append(rel)
                    .append('\t')
                    .append('n')
                    .append(dst);
        });
    }

    private static long node(SplittableRandom random, long nodes, double skew) {
        long rank = (long) (nodes * Math.pow(random.nextDouble(), skew));
        return Math.floorMod(rank * 0x9E3779B97F4A7C15L, nodes);
    }
}
