package dev.tessera.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A deterministic multi-relation graph with structure an embedding can learn, written as TSV
 * ({@code src rel dst}): node n belongs to group {@code n mod groups}; an edge of relation r leads from a
 * node of group g to a node of group {@code (g + r + 1) mod groups} with probability {@code 1 - noise},
 * else to any node. Sources follow a power law (node rank {@code floor(N·u²)}, scattered over ids), so the
 * degrees are skewed as in real graphs. A random power-law graph has nothing to learn beyond degrees, so its
 * MRR says little about what partitioning costs; this one does.
 */
public final class PlantedGraph {
    private final long nodes;
    private final int relations;
    private final long groups;
    private final double noise;

    public PlantedGraph(long nodes, int relations, long groups, double noise) {
        this.nodes = nodes;
        this.relations = relations;
        this.groups = groups;
        this.noise = noise;
    }

    public void write(Path file, long edges, long seed) throws IOException {
        write(file, edges, seed, "n");
    }

    /** As {@link #write(Path, long, long)}, each node named {@code prefix} followed by its number. */
    public void write(Path file, long edges, long seed, String prefix) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        long perGroup = nodes / groups;
        EdgeFile.write(file, edges, (i, sb) -> {
            long rank = (long) (nodes * Math.pow(random.nextDouble(), 2.0));
            long src = Math.floorMod(rank * 0x9E3779B97F4A7C15L, groups * perGroup);
            int rel = random.nextInt(relations);
            long dst;
            if (random.nextDouble() < noise) {
                dst = random.nextLong(groups * perGroup);
            } else {
                long group = (src % groups + rel + 1) % groups;
                dst = group + groups * random.nextLong(perGroup);
            }
            sb.append(prefix)
                    .append(src)
                    .append('\t')
                    .append('r')
                    .append(rel)
                    .append('\t')
                    .append(prefix)
                    .append(dst);
        });
    }
}
