package dev.tessera.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        long perGroup = nodes / groups;
        try (BufferedWriter w = Files.newBufferedWriter(
                tmp,
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder sb = new StringBuilder(64);
            for (long i = 0; i < edges; i++) {
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
                sb.setLength(0);
                sb.append(prefix)
                        .append(src)
                        .append('\t')
                        .append('r')
                        .append(rel)
                        .append('\t')
                        .append(prefix)
                        .append(dst)
                        .append('\n');
                w.append(sb);
                if ((i + 1) % 10_000_000 == 0) {
                    System.err.printf("%s: %,d of %,d edges written%n", file.getFileName(), i + 1, edges);
                }
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
