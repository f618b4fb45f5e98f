package dev.tessera.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A layered nearest-neighbour graph (HNSW's kind) saved beside a checkpoint, so that approximate search does
 * not rebuild it in every process. In the envelope of storage's files ({@link EnvelopeFileWriter}); payload:
 * {@code identity (32) | entry node (4) | levels (4) |} per level {@code nodes (4) | their ids (ints,
 * ascending; none on level 0, which holds every row) | list starts (nodes + 1 ints) | neighbours (ints)}. The
 * identity says what the graph was built from; a reader compares it before trusting the graph for a search.
 */
public final class HnswGraphFile {
    static final ValueKind KIND = ValueKind.HNSW_GRAPH_FILE;
    private static final int IDENTITY = 4 + 8 + 4 * 5;

    private HnswGraphFile() {}

    /**
     * What a graph was built from: the checkpoint version and a checksum of the vectors it indexes, their
     * shape, the metric and the build parameters. A saved graph serves only vectors of the same identity.
     */
    public record Identity(
            int checkpointVersion,
            long vectorsChecksum,
            int rows,
            int dimension,
            int metric,
            int maxConn,
            int beamWidth) {}

    /**
     * The graph: {@code nodes[l]} are level l's rows (null for level 0: every row), and the neighbours of its
     * i-th node are {@code neighbours[l][starts[l][i] .. starts[l][i+1])}; searches start at {@code entryNode}
     * on the top level.
     */
    public record Layers(int entryNode, int[][] nodes, int[][] starts, int[][] neighbours) {
        public int levels() {
            return starts.length;
        }
    }

    /** Writes the graph to {@code path} (a temporary name, forced and renamed). */
    public static void write(Path path, Identity id, Layers layers) {
        long length = IDENTITY + 8;
        for (int l = 0; l < layers.levels(); l++) {
            length += 4
                    + 4L * (l == 0 ? 0 : layers.nodes()[l].length)
                    + 4L * layers.starts()[l].length
                    + 4L * layers.neighbours()[l].length;
        }
        try (EnvelopeFileWriter w = EnvelopeFileWriter.create(path, KIND, length)) {
            w.putInt(id.checkpointVersion())
                    .putLong(id.vectorsChecksum())
                    .putInt(id.rows())
                    .putInt(id.dimension())
                    .putInt(id.metric())
                    .putInt(id.maxConn())
                    .putInt(id.beamWidth());
            w.putInt(layers.entryNode()).putInt(layers.levels());
            for (int l = 0; l < layers.levels(); l++) {
                int[] starts = layers.starts()[l];
                w.putInt(starts.length - 1);
                if (l > 0) {
                    w.putInts(layers.nodes()[l], 0, layers.nodes()[l].length);
                }
                w.putInts(starts, 0, starts.length);
                w.putInts(layers.neighbours()[l], 0, layers.neighbours()[l].length);
            }
            w.finish();
        }
    }

    /**
     * The graph in {@code path} when it was built from {@code expected}, else null (built from other vectors or
     * with other parameters: the caller rebuilds it). A file that is damaged, truncated or of a newer format is
     * a {@link CorruptFileException} naming it.
     */
    public static Layers read(Path path, Identity expected) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            // Read whole, once: the checksum is checked on the bytes that are then decoded.
            ByteBuffer b = EnvelopeFiles.readPayload(path, ch, KIND, Integer.MAX_VALUE - EnvelopeFiles.HEADER - 12);
            Identity found =
                    new Identity(b.getInt(), b.getLong(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt());
            if (!found.equals(expected)) {
                return null;
            }
            return layers(path, b, found.rows());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Layers layers(Path path, ByteBuffer b, int rows) {
        try {
            int entry = b.getInt();
            int levels = b.getInt();
            if (levels < 0 || levels > 64 || (rows > 0 && (entry < 0 || entry >= rows))) {
                throw new CorruptFileException(
                        path,
                        "entry node " + entry + " of " + levels + " levels over " + rows + " rows is not a graph");
            }
            int[][] nodes = new int[levels][];
            int[][] starts = new int[levels][];
            int[][] neighbours = new int[levels][];
            IntBuffer ints = b.slice().order(b.order()).asIntBuffer();
            for (int l = 0; l < levels; l++) {
                int count = ints.get();
                if (count < 0 || count > rows || (l == 0 && count != rows)) {
                    throw new CorruptFileException(path, "level " + l + " claims " + count + " of " + rows + " rows");
                }
                nodes[l] = l == 0 ? null : take(ints, count);
                starts[l] = take(ints, count + 1);
                int edges = starts[l][count];
                if (starts[l][0] != 0 || edges < 0) {
                    throw new CorruptFileException(path, "level " + l + "'s neighbour lists do not start at 0");
                }
                neighbours[l] = take(ints, edges);
            }
            if (ints.hasRemaining()) {
                throw new CorruptFileException(path, 4 * ints.remaining() + " payload bytes after the last level");
            }
            return new Layers(entry, nodes, starts, neighbours);
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptFileException(path, "the levels run past the payload");
        }
    }

    private static int[] take(IntBuffer ints, int count) {
        int[] out = new int[count];
        ints.get(out);
        return out;
    }
}
