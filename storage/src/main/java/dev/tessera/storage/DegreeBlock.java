package dev.tessera.storage;

/** One stored block of consecutive entities' training degrees, from entity {@code first} of a partition. */
public record DegreeBlock(int first, int[] out, int[] in) {
    /** Entities per stored degree block: writers cut a partition's degrees into blocks of this many. */
    public static final int MAX_ENTITIES = ValueCodecs.DEGREE_BLOCK;

    public byte[] encode() {
        return ValueCodecs.encodeDegrees(out, in, 0, out.length);
    }
}
