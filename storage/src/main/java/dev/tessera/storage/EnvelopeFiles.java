package dev.tessera.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Checks and reads files that {@link EnvelopeFileWriter} wrote. */
final class EnvelopeFiles {
    /** Envelope header: magic, kind, version, 8-byte length. */
    static final int HEADER = 4 + 1 + 2 + 8;

    private EnvelopeFiles() {}

    /**
     * Checks the envelope of an open file (magic, kind, version, the length against the file's size, and the
     * checksum of the whole file in one sequential pass) and returns the payload's length; anything off is a
     * {@link CorruptFileException} naming the file and the reason. For files read by position afterwards.
     */
    static long check(Path path, FileChannel ch, ValueKind kind) throws IOException {
        long length = checkHeader(path, ch, kind);
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long covered = ch.size() - 4;
        for (long at = 0; at < covered; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), covered - at));
            readFully(ch, buf, at);
            buf.flip();
            at += buf.remaining();
            crc.update(buf);
        }
        ByteBuffer s = le(4);
        readFully(ch, s, covered);
        compareChecksums(path, s.flip().getInt(), crc);
        return length;
    }

    /**
     * The payload of a file read whole, in one pass that also checks the envelope as {@link #check} does; a
     * payload longer than {@code maxLength} bytes is refused as corrupt before anything is allocated for it.
     */
    static ByteBuffer readPayload(Path path, FileChannel ch, ValueKind kind, long maxLength) throws IOException {
        long length = checkHeader(path, ch, kind);
        if (length > maxLength) {
            throw new CorruptFileException(
                    path, length + " payload bytes, more than the " + maxLength + " a " + kind + " may hold");
        }
        ByteBuffer all = le((int) (HEADER + length + 4));
        readFully(ch, all, 0);
        CRC32C crc = new CRC32C();
        crc.update(all.array(), 0, all.capacity() - 4);
        compareChecksums(path, all.getInt(all.capacity() - 4), crc);
        return all.position(HEADER).limit(all.capacity() - 4).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Checks magic, kind, version and the length field against the file's size; returns the payload length. */
    private static long checkHeader(Path path, FileChannel ch, ValueKind kind) throws IOException {
        long size = ch.size();
        if (size < HEADER + 4) {
            throw new CorruptFileException(
                    path, "truncated: " + size + " bytes, a " + kind + " needs at least " + (HEADER + 4));
        }
        ByteBuffer h = le(HEADER);
        readFully(ch, h, 0);
        h.flip();
        int magic = h.getInt();
        byte kindId = h.get();
        short version = h.getShort();
        String problem = Frames.headerProblem(magic, kindId, version, kind, "file");
        if (problem != null) {
            throw new CorruptFileException(path, problem);
        }
        long length = h.getLong();
        long present = size - HEADER - 4;
        if (length != present) {
            throw new CorruptFileException(
                    path,
                    (length > present ? "truncated: " : "") + "length field says " + length + " payload bytes but "
                            + present + " are present");
        }
        return length;
    }

    private static void compareChecksums(Path path, int stored, CRC32C computed) {
        if (stored != (int) computed.getValue()) {
            throw new CorruptFileException(
                    path,
                    String.format(
                            "checksum mismatch (stored 0x%08x, computed 0x%08x)", stored, (int) computed.getValue()));
        }
    }

    /** Fills {@code b} from {@code position} on. */
    static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        int start = b.position();
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position() - start) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
