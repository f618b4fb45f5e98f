package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.trainer.EmbeddingPartition;
import java.time.Duration;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Feeds the decoders a million random, truncated and bit-flipped frames: {@link Message#wrap} must refuse
 * every malformed one with a reason (never throw, never read past the frame), and the decoders behind it
 * (partition chunks, parameter chunks) must turn whatever well-formed frame they get into an outcome, not an
 * exception.
 */
class MessageFuzzTest {
    private static final int FRAMES = 1_000_000;

    @Test
    void wellFormedFramesRoundTrip() {
        MessageWriter w = new MessageWriter(64);
        w.start(MessageType.BUCKET_REPLY, 3, 77L)
                .putInt(0, 5)
                .putInt(4, MessageType.GRANTED)
                .putLong(24, 99L);
        Message m = new Message();
        assertNull(m.wrap(w.buffer(), 0, w.length()));
        assertEquals(MessageType.BUCKET_REPLY, m.type());
        assertEquals(3, m.senderRank());
        assertEquals(77L, m.correlation());
        assertEquals(5, m.intAt(0));
        assertEquals(99L, m.longAt(24));

        float[] values = {1.5f, -2f, 3.25f};
        w.start(MessageType.PARAMETER_CHUNK, 0, 1L).appendFloats(values, 0, 3).checksumPayloadInto(16);
        assertNull(m.wrap(w.buffer(), 0, w.length()));
        float[] back = new float[3];
        m.payloadFloatsInto(0, 3, back, 0);
        assertEquals(values[2], back[2]);
        assertEquals(m.intAt(16), m.payloadChecksum());
    }

    @Test
    void aMillionMangledFramesAreRefusedOrDecodedNeverThrown() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            SplittableRandom random = new SplittableRandom(20261205);
            MessageWriter w = new MessageWriter(256);
            UnsafeBuffer mangled = new UnsafeBuffer(new byte[w.buffer().capacity()]);
            Message m = new Message();
            MessageType[] types = MessageType.values();
            long refused = 0;
            long decoded = 0;
            for (int i = 0; i < FRAMES; i++) {
                int length = validFrame(w, types[random.nextInt(types.length)], random);
                mangled.putBytes(0, w.buffer(), 0, length);
                int mode = random.nextInt(4);
                if (mode == 0) {
                    length = random.nextInt(length + 1); // truncated
                } else if (mode == 1) {
                    int flips = 1 + random.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        int at = random.nextInt(length);
                        mangled.putByte(at, (byte) (mangled.getByte(at) ^ (1 << random.nextInt(8))));
                    }
                } else if (mode == 2) {
                    length = random.nextInt(mangled.capacity() + 1); // random bytes, random length
                    for (int b = 0; b < length; b++) {
                        mangled.putByte(b, (byte) random.nextInt(256));
                    }
                } // mode 3: left intact
                String problem = m.wrap(mangled, 0, length);
                if (problem != null) {
                    refused++;
                    continue;
                }
                decoded++;
                decodeEverything(m);
            }
            assertEquals(FRAMES, refused + decoded);
            assertTrue(refused > FRAMES / 3, "refused " + refused);
            assertTrue(decoded > FRAMES / 5, "decoded " + decoded);
        });
    }

    @Test
    void framesOverrunningTheirBufferAreRefused() {
        Message m = new Message();
        UnsafeBuffer small = new UnsafeBuffer(new byte[16]);
        assertNotNull(m.wrap(small, 0, 32));
        assertNotNull(m.wrap(small, 8, 16));
        assertNotNull(m.wrap(small, -1, 4));
    }

    /** A well-formed frame of {@code t} with random fields (and, for chunk types, a random payload). */
    private static int validFrame(MessageWriter w, MessageType t, SplittableRandom random) {
        w.start(t, random.nextInt(4), random.nextLong());
        for (int at = 0; at + 4 <= t.fixedLength; at += 4) {
            w.putInt(at, random.nextInt(8) - 1);
        }
        if (t.hasPayload) {
            int n = random.nextInt(64);
            float[] payload = new float[n];
            for (int k = 0; k < n; k++) {
                payload[k] = (float) random.nextDouble();
            }
            w.appendFloats(payload, 0, n);
            if (t != MessageType.HOME_MAP) {
                w.checksumPayloadInto(t == MessageType.PARTITION_CHUNK ? PartitionTransfer.CRC : ParameterServer.CRC);
            }
        }
        return w.length();
    }

    /** Reads every field a receiver would, and runs the chunk decoders on chunks. */
    private static void decodeEverything(Message m) {
        m.senderRank();
        m.correlation();
        for (int at = 0; at + 4 <= m.type().fixedLength; at += 4) {
            m.intAt(at);
        }
        if (m.type() == MessageType.PARTITION_CHUNK) {
            EmbeddingPartition into = new EmbeddingPartition(1, 2, 3, 4);
            PartitionTransfer.Receiver r = new PartitionTransfer.Receiver(into);
            if (r.accept(m)) {
                assertTrue(r.problem() != null || r.complete());
            }
        } else if (m.type() == MessageType.PARAMETER_CHUNK) {
            float[] out = new float[m.payloadFloats()];
            m.payloadFloatsInto(0, out.length, out, 0);
            m.payloadChecksum();
        } else if (m.type() == MessageType.HOME_MAP) {
            HomeMap map = HomeMap.decode(m, 4, 8);
            if (map != null) {
                assertTrue(map.homeOf(7) >= 0 && map.homeOf(7) < 4);
            }
        }
    }
}
