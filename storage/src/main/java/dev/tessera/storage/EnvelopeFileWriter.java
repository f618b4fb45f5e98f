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
 * Writes one of storage's files in the envelope of its stored values ({@link Frames}) with an 8-byte length:
 * {@code magic "TSRA" | kind (1) | version (2) | length (8) | payload | crc32c (4)}, little-endian, the checksum
 * over everything before it ({@link EnvelopeFiles} checks it). The payload streams through a MiB buffer to a
 * temporary name, which {@link #finish} forces and renames, so a crash never leaves a half-written file in place.
 */
final class EnvelopeFileWriter implements AutoCloseable {
    private final Path path;
    private final Path tmp;
    private final FileChannel channel;
    private final long payloadLength;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long written;
    private boolean finished;

    private EnvelopeFileWriter(Path path, Path tmp, FileChannel channel, long payloadLength) {
        this.path = path;
        this.tmp = tmp;
        this.channel = channel;
        this.payloadLength = payloadLength;
    }

    /** Starts {@code path} (its temporary name) with the header; exactly {@code payloadLength} bytes must follow. */
    static EnvelopeFileWriter create(Path path, ValueKind kind, long payloadLength) {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            EnvelopeFileWriter w = new EnvelopeFileWriter(path, tmp, ch, payloadLength);
            w.buf.putInt(Frames.MAGIC).put(kind.id).putShort(kind.version).putLong(payloadLength);
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    EnvelopeFileWriter putInt(int v) {
        room(4);
        buf.putInt(v);
        written += 4;
        return this;
    }

    EnvelopeFileWriter putLong(long v) {
        room(8);
        buf.putLong(v);
        written += 8;
        return this;
    }

    EnvelopeFileWriter putInts(int[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            putInt(values[i]);
        }
        return this;
    }

    /** Checks the payload's length, appends the checksum, forces the file and moves it to its name. */
    void finish() {
        if (written != payloadLength) {
            throw new IllegalStateException(path + ": the header announced " + payloadLength + " payload bytes but "
                    + written + " were written");
        }
        try {
            flush();
            buf.putInt((int) crc.getValue());
            buf.flip();
            writeFully();
            channel.force(true);
            channel.close();
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            finished = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Closes the file; one not {@link #finish finished} is removed, leaving what was at {@code path} as it was. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        try {
            channel.close();
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + tmp + ": " + e.getMessage(), e);
        }
    }

    private void room(int bytes) {
        if (buf.remaining() < bytes) {
            try {
                flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
            }
        }
    }

    /** Writes what the buffer holds, counting it into the checksum, and empties it. */
    private void flush() throws IOException {
        buf.flip();
        crc.update(buf.duplicate());
        writeFully();
        buf.clear();
    }

    private void writeFully() throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }
}
