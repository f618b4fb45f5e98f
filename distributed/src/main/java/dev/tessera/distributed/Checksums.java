package dev.tessera.distributed;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;

/** CRC32C of bytes in an Agrona buffer, whichever memory backs it. */
final class Checksums {
    private static final ThreadLocal<CRC32C> CRC = ThreadLocal.withInitial(CRC32C::new);
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);

    private Checksums() {}

    static int crc32c(DirectBuffer buffer, int offset, int length) {
        CRC32C crc = CRC.get();
        crc.reset();
        byte[] array = buffer.byteArray();
        ByteBuffer bb = buffer.byteBuffer();
        if (array != null) {
            crc.update(array, buffer.wrapAdjustment() + offset, length);
        } else if (bb != null) {
            ByteBuffer view = bb.duplicate();
            int start = buffer.wrapAdjustment() + offset;
            view.limit(start + length).position(start);
            crc.update(view);
        } else {
            byte[] scratch = SCRATCH.get();
            for (int done = 0; done < length; ) {
                int n = Math.min(scratch.length, length - done);
                buffer.getBytes(offset + done, scratch, 0, n);
                crc.update(scratch, 0, n);
                done += n;
            }
        }
        return (int) crc.getValue();
    }
}
