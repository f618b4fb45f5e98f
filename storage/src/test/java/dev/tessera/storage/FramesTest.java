package dev.tessera.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class FramesTest {
    private static final String KEY = "edges/train/bucket(2,1)/chunk 7/block 3";
    private static final byte[] PAYLOAD = "some payload bytes \u00e9".getBytes(StandardCharsets.UTF_8);

    /** Recomputes the trailing CRC32C so that only a deliberately patched field is wrong. */
    private static void reseal(byte[] frame) {
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, frame.length - 4);
        ByteBuffer.wrap(frame, frame.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) crc.getValue());
    }

    private static String corruptMessage(byte[] frame, ValueKind expected) {
        CorruptBlockException e = assertThrows(CorruptBlockException.class, () -> Frames.decode(KEY, frame, expected));
        assertTrue(e.getMessage().startsWith("stored value at " + KEY + " is unreadable: "), e.getMessage());
        return e.getMessage().substring(("stored value at " + KEY + " is unreadable: ").length());
    }

    private static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void encodeWritesTheDocumentedLayout() {
        byte[] frame = Frames.encode(ValueKind.EDGE_BLOCK, PAYLOAD);
        assertEquals(4 + 1 + 2 + 4 + PAYLOAD.length + 4, frame.length);
        assertEquals("TSRA", new String(frame, 0, 4, StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, b.get(4)); // EDGE_BLOCK's id
        assertEquals(1, b.getShort(5)); // its version
        assertEquals(PAYLOAD.length, b.getInt(7));
        assertArrayEquals(PAYLOAD, Arrays.copyOfRange(frame, 11, 11 + PAYLOAD.length));
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, frame.length - 4);
        assertEquals((int) crc.getValue(), b.getInt(frame.length - 4));
    }

    @Test
    void roundTripReturnsExactlyThePayload() {
        for (ValueKind kind : ValueKind.values()) {
            byte[] frame = Frames.encode(kind, PAYLOAD);
            ByteBuffer payload = Frames.decode(KEY, frame, kind);
            assertEquals(0, payload.position());
            assertEquals(PAYLOAD.length, payload.remaining(), kind.toString());
            assertEquals(ByteOrder.LITTLE_ENDIAN, payload.order());
            assertArrayEquals(PAYLOAD, remaining(payload), kind.toString());
        }
        ByteBuffer empty = Frames.decode(KEY, Frames.encode(ValueKind.META_JSON, new byte[0]), ValueKind.META_JSON);
        assertEquals(0, empty.remaining());
    }

    @Test
    void resealHelperAloneKeepsAFrameValid() {
        byte[] frame = Frames.encode(ValueKind.EDGE_BLOCK, PAYLOAD);
        byte[] copy = frame.clone();
        reseal(copy);
        assertArrayEquals(frame, copy);
    }

    @Test
    void flippedPayloadByteIsAChecksumMismatch() {
        for (int i = 11; i < 11 + PAYLOAD.length; i++) {
            byte[] frame = Frames.encode(ValueKind.EDGE_BLOCK, PAYLOAD);
            frame[i] ^= 0x01;
            String reason = corruptMessage(frame, ValueKind.EDGE_BLOCK);
            assertTrue(reason.startsWith("checksum mismatch (stored 0x"), reason);
            assertTrue(reason.matches("checksum mismatch \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\)"), reason);
        }
    }

    @Test
    void flippedChecksumByteIsAChecksumMismatch() {
        byte[] frame = Frames.encode(ValueKind.DEGREES, PAYLOAD);
        int stored = ByteBuffer.wrap(frame, frame.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        frame[frame.length - 1] ^= (byte) 0x80;
        String reason = corruptMessage(frame, ValueKind.DEGREES);
        assertEquals(
                String.format("checksum mismatch (stored 0x%08x, computed 0x%08x)", stored ^ 0x80000000, stored),
                reason);
    }

    @Test
    void badMagicIsNamed() {
        byte[] frame = Frames.encode(ValueKind.EDGE_BLOCK, PAYLOAD);
        frame[0] = 'X';
        reseal(frame);
        assertEquals("bad magic 0x41525358 (not a Tessera value)", corruptMessage(frame, ValueKind.EDGE_BLOCK));
    }

    @Test
    void wrongKindIsNamed() {
        byte[] frame = Frames.encode(ValueKind.ENTITY_REF, PAYLOAD);
        assertEquals("expected a EDGE_BLOCK but found ENTITY_REF", corruptMessage(frame, ValueKind.EDGE_BLOCK));

        byte[] unknown = Frames.encode(ValueKind.EDGE_BLOCK, PAYLOAD);
        unknown[4] = 99;
        reseal(unknown);
        assertEquals("expected a EDGE_BLOCK but found unknown kind 99", corruptMessage(unknown, ValueKind.EDGE_BLOCK));
    }

    @Test
    void newerVersionIsRefusedByName() {
        byte[] frame = Frames.encode(ValueKind.EDGE_BLOCK, PAYLOAD);
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putShort(5, (short) 2);
        reseal(frame);
        assertEquals(
                "EDGE_BLOCK format version 2 is newer than this Tessera reads (1); upgrade Tessera",
                corruptMessage(frame, ValueKind.EDGE_BLOCK));

        // A version this build knows (here: an older one, 0) still decodes.
        byte[] older = Frames.encode(ValueKind.EDGE_BLOCK, PAYLOAD);
        ByteBuffer.wrap(older).order(ByteOrder.LITTLE_ENDIAN).putShort(5, (short) 0);
        reseal(older);
        assertArrayEquals(PAYLOAD, remaining(Frames.decode(KEY, older, ValueKind.EDGE_BLOCK)));
    }

    @Test
    void truncatedAndMissingValuesAreNamed() {
        byte[] frame = Frames.encode(ValueKind.EDGE_BLOCK, PAYLOAD);
        assertEquals(
                "truncated: 10 bytes, a frame needs at least 15",
                corruptMessage(Arrays.copyOf(frame, 10), ValueKind.EDGE_BLOCK));
        assertEquals(
                "truncated: 0 bytes, a frame needs at least 15", corruptMessage(new byte[0], ValueKind.EDGE_BLOCK));
        assertEquals("missing", corruptMessage(null, ValueKind.EDGE_BLOCK));
    }

    @Test
    void lengthMismatchIsNamed() {
        byte[] frame = Frames.encode(ValueKind.EDGE_BLOCK, PAYLOAD);
        int n = PAYLOAD.length;
        assertEquals(
                "length field says " + n + " payload bytes but " + (n - 1) + " are present",
                corruptMessage(Arrays.copyOf(frame, frame.length - 1), ValueKind.EDGE_BLOCK));
        assertEquals(
                "length field says " + n + " payload bytes but " + (n + 1) + " are present",
                corruptMessage(Arrays.copyOf(frame, frame.length + 1), ValueKind.EDGE_BLOCK));

        byte[] patched = frame.clone();
        ByteBuffer.wrap(patched).order(ByteOrder.LITTLE_ENDIAN).putInt(7, n + 5);
        reseal(patched);
        assertEquals(
                "length field says " + (n + 5) + " payload bytes but " + n + " are present",
                corruptMessage(patched, ValueKind.EDGE_BLOCK));
    }

    @Test
    void sealRefusesAnUnfilledPayload() {
        ByteBuffer b = Frames.open(ValueKind.EDGE_BLOCK, 6);
        b.putInt(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Frames.seal(b));
        assertEquals("payload length mismatch: 2 bytes unwritten", e.getMessage());
    }

    @Test
    void edgeBlockRoundTripIsBitExact() {
        float[] w = {0.5f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -3.25e-7f};
        EdgeBlock weighted = new EdgeBlock(
                new int[] {0, 1, 2, 3, Integer.MAX_VALUE},
                new int[] {5, 4, 3, 2, 1},
                new int[] {-1, 0, 1, 1 << 20, 7},
                w);
        EdgeBlock back = EdgeBlock.decode(KEY, weighted.encode());
        assertEquals(weighted, back);
        assertTrue(back.hasWeights());
        for (int i = 0; i < w.length; i++) {
            assertEquals(Float.floatToRawIntBits(w[i]), Float.floatToRawIntBits(back.weights()[i]));
        }
        EdgeBlock plain = new EdgeBlock(new int[] {9}, new int[] {8}, new int[] {7}, null);
        EdgeBlock plainBack = EdgeBlock.decode(KEY, plain.encode());
        assertEquals(plain, plainBack);
        assertNull(plainBack.weights());
        assertEquals(
                0,
                EdgeBlock.decode(KEY, new EdgeBlock(new int[0], new int[0], new int[0], null).encode())
                        .size());
    }

    @Test
    void edgeBlockWithInconsistentCountIsCorrupt() {
        byte[] frame = new EdgeBlock(new int[] {1, 2}, new int[] {3, 4}, new int[] {5, 6}, null).encode();
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(11, 3); // n = 3 but 24 bytes follow
        reseal(frame);
        CorruptBlockException e = assertThrows(CorruptBlockException.class, () -> EdgeBlock.decode(KEY, frame));
        assertEquals(
                "stored value at " + KEY + " is unreadable: edge block of 3 edges needs 36 bytes, found 24",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EdgeBlock(new int[2], new int[2], new int[1], null));
    }

    @Test
    void smallValueCodecsRoundTrip() {
        EntityRef ref = new EntityRef(3, 17, 123456);
        assertEquals(ref, EntityRef.decode(KEY, ref.encode()));
        assertEquals("日本 name", ValueCodecs.decodeName(KEY, ValueCodecs.encodeName("日本 name")));
        assertEquals("{\"a\":1}", ValueCodecs.decodeJson(KEY, ValueCodecs.encodeJson("{\"a\":1}")));
        int[] out = {1, 2, 3, 4};
        int[] in = {5, 6, 7, 8};
        int[] o2 = new int[5];
        int[] i2 = new int[5];
        assertEquals(3, ValueCodecs.decodeDegrees(KEY, ValueCodecs.encodeDegrees(out, in, 1, 3), o2, i2, 2));
        assertArrayEquals(new int[] {0, 0, 2, 3, 4}, o2);
        assertArrayEquals(new int[] {0, 0, 6, 7, 8}, i2);
        // A name decoded as a reference is the wrong kind, named.
        CorruptBlockException e =
                assertThrows(CorruptBlockException.class, () -> EntityRef.decode(KEY, ValueCodecs.encodeName("x")));
        assertTrue(e.getMessage().endsWith("expected a ENTITY_REF but found ENTITY_NAME"), e.getMessage());
    }
}
