package dev.tessera.storage;

/** One stored block of consecutive entities' training degrees, from entity {@code first} of a partition. */
public record DegreeBlock(int first, int[] out, int[] in) {
    public byte[] encode() {
        return ValueCodecs.encodeDegrees(out, in, 0, out.length);
    }
}
