package dev.tessera.gcn;

import dev.tessera.sampler.Neighbourhood;
import dev.tessera.storage.GraphStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Neighbour lists on disk for sampled mini-batch training: {@code "TSAJ" | version | nodes | entries |
 * rowStart (nodes+1 longs) | neighbours (ints)}, little-endian. Reads are positional (pread), not mapped,
 * so only the lists a batch touches pass through memory and the process's resident size does not grow with
 * the graph. Written to a temporary name and renamed, so a crash never leaves a half-written file in place.
 */
public final class AdjacencyFile implements Neighbourhood, AutoCloseable {
    private static final int MAGIC = 0x4a415354; // "TSAJ" read little-endian
    private static final int VERSION = 1;
    private static final int HEADER = 4 + 4 + 4 + 8;

    private final Path path;
    private final FileChannel channel;
    private final int nodes;
    private final long neighboursAt;

    private AdjacencyFile(Path path, FileChannel channel, int nodes) {
        this.path = path;
        this.channel = channel;
        this.nodes = nodes;
        this.neighboursAt = HEADER + 8L * (nodes + 1);
    }

    public static void write(Path path, SymmetricAdjacency adjacency) {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                int n = adjacency.nodes();
                int[] start = adjacency.rowStart();
                int[] neighbours = adjacency.neighbours();
                ByteBuffer header =
                        le(HEADER).putInt(MAGIC).putInt(VERSION).putInt(n).putLong(neighbours.length);
                writeFully(ch, header.flip());
                ByteBuffer buf = le(1 << 20);
                for (int v = 0; v <= n; v++) {
                    if (buf.remaining() < 8) {
                        writeFully(ch, buf.flip());
                        buf.clear();
                    }
                    buf.putLong(start[v]);
                }
                for (int c : neighbours) {
                    if (buf.remaining() < 4) {
                        writeFully(ch, buf.flip());
                        buf.clear();
                    }
                    buf.putInt(c);
                }
                writeFully(ch, buf.flip());
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The graph's neighbour lists, built from its stored edges into {@code <graph>/gcn/adjacency.bin} on first
     * use (in memory: two ints per edge and direction, once) and rebuilt when the graph's node count changed.
     */
    public static AdjacencyFile openOrBuild(GraphStore store, NodeIndex index) {
        Path path = store.dir().resolve("gcn").resolve("adjacency.bin");
        if (Files.exists(path)) {
            AdjacencyFile existing = open(path);
            if (existing.nodes() == index.size()) {
                return existing;
            }
            existing.close();
        }
        int[][] edges = GraphAdjacency.endpoints(store, index);
        write(path, SymmetricAdjacency.of(index.size(), edges[0], edges[1], false));
        return open(path);
    }

    public static AdjacencyFile open(Path path) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            ByteBuffer h = le(HEADER);
            readFully(ch, h, 0);
            h.flip();
            int magic = h.getInt();
            int version = h.getInt();
            int nodes = h.getInt();
            long entries = h.getLong();
            long expected = HEADER + 8L * (nodes + 1) + 4L * entries;
            long size = ch.size();
            if (magic != MAGIC || version > VERSION || nodes < 0 || size != expected) {
                ch.close();
                throw new IllegalArgumentException(path + " is not a Tessera adjacency file of version ≤ " + VERSION
                        + " (or is truncated: " + size + " bytes, expected " + expected + ")");
            }
            return new AdjacencyFile(path, ch, nodes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int nodes() {
        return nodes;
    }

    @Override
    public int degree(int node) {
        ByteBuffer b = le(16);
        read(b, HEADER + 8L * node);
        return (int) (b.getLong(8) - b.getLong(0));
    }

    @Override
    public void neighbours(int node, int from, int count, int[] out) {
        ByteBuffer s = le(8);
        read(s, HEADER + 8L * node);
        ByteBuffer b = le(4 * count);
        read(b, neighboursAt + 4L * (s.getLong(0) + from));
        b.asIntBuffer().get(out, 0, count);
    }

    private void read(ByteBuffer b, long position) {
        try {
            readFully(channel, b, position);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        b.flip();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
