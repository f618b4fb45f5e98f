package dev.tessera.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a graph's neighbour lists (rows of a CSR matrix: {@code rowStart}, {@code neighbours}) to the file
 * {@link AdjacencyFileReader} reads, in the envelope of every stored value ({@link Frames}): {@code magic
 * "TSRA" | kind (1) | version (2) | length (8) | nodes (4) | entries (8) | rowStart (nodes+1 longs) |
 * neighbours (entries ints) | crc32c (4)}, little-endian, the checksum over everything before it. The length
 * takes 8 bytes, not a value's 4, because the file of a large graph passes 2 GiB. Written to a temporary
 * name, forced and renamed, so a crash never leaves a half-written file in place.
 */
public final class AdjacencyFileWriter {
    private AdjacencyFileWriter() {}

    /** Writes {@code nodes} lists: node {@code v}'s are {@code neighbours[rowStart[v] .. rowStart[v+1])}. */
    public static void write(Path path, int nodes, int[] rowStart, int[] neighbours) {
        if (rowStart.length != nodes + 1 || rowStart[nodes] != neighbours.length) {
            throw new IllegalArgumentException("row starts of " + rowStart.length + " entries ending at "
                    + rowStart[rowStart.length - 1] + " do not describe " + nodes + " nodes and "
                    + neighbours.length + " neighbours");
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                CRC32C crc = new CRC32C();
                ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
                buf.putInt(Frames.MAGIC)
                        .put(AdjacencyFileReader.KIND.id)
                        .putShort(AdjacencyFileReader.KIND.version)
                        .putLong(AdjacencyFileReader.payloadLength(nodes, neighbours.length))
                        .putInt(nodes)
                        .putLong(neighbours.length);
                for (int v = 0; v <= nodes; v++) {
                    if (buf.remaining() < 8) {
                        flush(ch, buf, crc);
                    }
                    buf.putLong(rowStart[v]);
                }
                for (int c : neighbours) {
                    if (buf.remaining() < 4) {
                        flush(ch, buf, crc);
                    }
                    buf.putInt(c);
                }
                flush(ch, buf, crc);
                buf.putInt((int) crc.getValue());
                buf.flip();
                writeFully(ch, buf);
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes what {@code buf} holds, counting it into the checksum, and empties it. */
    private static void flush(FileChannel ch, ByteBuffer buf, CRC32C crc) throws IOException {
        buf.flip();
        crc.update(buf.duplicate());
        writeFully(ch, buf);
        buf.clear();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
