package dev.tessera.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A deterministic graph with about one new entity per edge and long names, like a file tree's links: edge i
 * leads from an earlier entity (chosen with a power-law skew towards the first, so some are hubs) to
 * entity i + 1, under one of a few relations. Names are paths of 20–120 bytes whose leading directories
 * are shared by many entities ({@code /srv/pkg-42/d17/d305/f123456.py}), so a dictionary
 * sees long keys with long common prefixes, as real paths and URLs are. Written as TSV ({@code src rel dst}).
 */
public final class EntityHeavyGraph {
    private static final String[] ROOTS = {"usr", "var", "opt", "home", "srv", "etc", "lib", "data"};
    private static final String[] RELATIONS = {"contains", "links_to", "imports", "depends_on"};
    private static final String[] EXTENSIONS = {"py", "java", "txt", "json", "so", "h", "md", "conf"};

    private EntityHeavyGraph() {}

    public static void write(Path file, long edges, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        EdgeFile.write(file, edges, (i, sb) -> {
            double u = random.nextDouble();
            long src = (long) (i * u * u);
            name(sb, src, seed);
            sb.append('\t').append(RELATIONS[random.nextInt(RELATIONS.length)]).append('\t');
            name(sb, i + 1, seed);
        });
    }

    /** Entity {@code id}'s path: the same id always gets the same name (its randomness is seeded by the id). */
    private static void name(StringBuilder sb, long id, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + id);
        int target = 20 + r.nextInt(101);
        int start = sb.length();
        sb.append('/').append(ROOTS[r.nextInt(ROOTS.length)]);
        sb.append("/pkg-").append(r.nextInt(2000));
        String file = "/f" + id + "." + EXTENSIONS[r.nextInt(EXTENSIONS.length)];
        while (sb.length() - start + file.length() < target) {
            sb.append("/d").append(r.nextInt(400));
        }
        sb.append(file);
    }
}
