package dev.tessera.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the neighbour lists {@link AdjacencyFileWriter} wrote. Opening checks the envelope (magic, kind,
 * version, length against the file's size) and the checksum of the whole file in one sequential pass, and
 * names the file and the reason when anything is off; after that, reads are positional (pread), not mapped,
 * so only the lists a batch touches pass through memory and the process's resident size does not grow with
 * the graph.
 */
public final class AdjacencyFileReader implements AutoCloseable {
    static final ValueKind KIND = ValueKind.ADJACENCY_FILE;
    static final int HEADER = EnvelopeFiles.HEADER;
    /** Node and entry counts, at the start of the payload. */
    static final int COUNTS = 4 + 8;
    /** "TSAJ" read little-endian: the unframed layout of before the envelope, which had no checksum. */
    static final int PREVIOUS_MAGIC = 0x4a415354;

    private final Path path;
    private final FileChannel channel;
    private final int nodes;
    private final long entries;
    private final long neighboursAt;

    private AdjacencyFileReader(Path path, FileChannel channel, int nodes, long entries) {
        this.path = path;
        this.channel = channel;
        this.nodes = nodes;
        this.entries = entries;
        this.neighboursAt = HEADER + COUNTS + 8L * (nodes + 1);
    }

    static long payloadLength(int nodes, long entries) {
        return COUNTS + 8L * (nodes + 1) + 4L * entries;
    }

    /** Whether {@code path} holds neighbour lists in the layout before the envelope (to be rebuilt, not read). */
    public static boolean hasPreviousLayout(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return startsWithPreviousMagic(ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean startsWithPreviousMagic(FileChannel ch) throws IOException {
        if (ch.size() < 4) {
            return false;
        }
        ByteBuffer b = EnvelopeFiles.le(4);
        EnvelopeFiles.readFully(ch, b, 0);
        return b.flip().getInt() == PREVIOUS_MAGIC;
    }

    public static AdjacencyFileReader open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
        try {
            if (startsWithPreviousMagic(ch)) {
                throw new CorruptFileException(path, "written in the layout before checksums; delete it to rebuild it");
            }
            long length = EnvelopeFiles.check(path, ch, KIND);
            if (length < COUNTS) {
                throw new CorruptFileException(path, "truncated: " + length + " payload bytes hold no counts");
            }
            ByteBuffer h = EnvelopeFiles.le(COUNTS);
            EnvelopeFiles.readFully(ch, h, HEADER);
            h.flip();
            int nodes = h.getInt();
            long entries = h.getLong();
            if (nodes < 0 || entries < 0 || payloadLength(nodes, entries) != length) {
                throw new CorruptFileException(
                        path, nodes + " nodes and " + entries + " entries do not fill " + length + " payload bytes");
            }
            return new AdjacencyFileReader(path, ch, nodes, entries);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot read " + path + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    public Path path() {
        return path;
    }

    public int nodes() {
        return nodes;
    }

    public long entries() {
        return entries;
    }

    public int degree(int node) {
        ByteBuffer b = EnvelopeFiles.le(16);
        read(b, HEADER + COUNTS + 8L * node);
        return (int) (b.getLong(8) - b.getLong(0));
    }

    /** Copies {@code count} of node {@code node}'s neighbours, from its {@code from}-th, into {@code out}. */
    public void neighbours(int node, int from, int count, int[] out) {
        ByteBuffer s = EnvelopeFiles.le(8);
        read(s, HEADER + COUNTS + 8L * node);
        ByteBuffer b = EnvelopeFiles.le(4 * count);
        read(b, neighboursAt + 4L * (s.getLong(0) + from));
        b.asIntBuffer().get(out, 0, count);
    }

    private void read(ByteBuffer b, long position) {
        try {
            EnvelopeFiles.readFully(channel, b, position);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        b.flip();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
        }
    }
}
