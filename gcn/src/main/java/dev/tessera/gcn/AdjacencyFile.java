package dev.tessera.gcn;

import dev.tessera.sampler.Neighbourhood;
import dev.tessera.storage.AdjacencyFileReader;
import dev.tessera.storage.AdjacencyFileWriter;
import dev.tessera.storage.GraphStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A graph's neighbour lists on disk, as the sampler's {@link Neighbourhood} for mini-batch training. The
 * format (framed and checksummed like every stored value) is storage's: {@link AdjacencyFileWriter} and
 * {@link AdjacencyFileReader}; this class decides when the file is built from the graph and adapts the reader.
 */
public final class AdjacencyFile implements Neighbourhood, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdjacencyFile.class);

    private final AdjacencyFileReader reader;

    private AdjacencyFile(AdjacencyFileReader reader) {
        this.reader = reader;
    }

    public static void write(Path path, SymmetricAdjacency adjacency) {
        AdjacencyFileWriter.write(path, adjacency.nodes(), adjacency.rowStart(), adjacency.neighbours());
    }

    /**
     * The graph's neighbour lists, built from its stored edges into {@code <graph>/gcn/adjacency.bin} on first
     * use (in memory: two ints per edge and direction, once) and rebuilt when the graph's node count changed
     * or the file has the layout of before checksums. A file that fails its checks otherwise is an error
     * naming it: corruption should be seen, not papered over.
     */
    public static AdjacencyFile openOrBuild(GraphStore store, NodeIndex index) {
        Path path = store.dir().resolve("gcn").resolve("adjacency.bin");
        if (Files.exists(path)) {
            if (AdjacencyFileReader.hasPreviousLayout(path)) {
                LOG.info("{} has the layout of before checksums; rebuilding it from the graph", path);
            } else {
                AdjacencyFile existing = open(path);
                if (existing.nodes() == index.size()) {
                    return existing;
                }
                existing.close();
            }
        }
        int[][] edges = GraphAdjacency.endpoints(store, index);
        write(path, SymmetricAdjacency.of(index.size(), edges[0], edges[1], false));
        return open(path);
    }

    /** Opens the file, checking its envelope and checksum ({@link AdjacencyFileReader#open}). */
    public static AdjacencyFile open(Path path) {
        return new AdjacencyFile(AdjacencyFileReader.open(path));
    }

    @Override
    public int nodes() {
        return reader.nodes();
    }

    @Override
    public int degree(int node) {
        return reader.degree(node);
    }

    @Override
    public void neighbours(int node, int from, int count, int[] out) {
        reader.neighbours(node, from, count, out);
    }

    @Override
    public void close() {
        reader.close();
    }
}
