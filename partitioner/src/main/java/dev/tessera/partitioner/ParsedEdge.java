package dev.tessera.partitioner;

/** One input row after parsing: a good edge, or the reason and detail it was rejected. Reused per row. */
public final class ParsedEdge {
    public String src;
    public String rel;
    public String dst;
    public int srcType;
    public int dstType;
    public float weight;
    public BadRowReason bad;
    public String detail;

    void reject(BadRowReason reason, String why) {
        bad = reason;
        detail = why;
    }
}
