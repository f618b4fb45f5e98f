package dev.tessera.partitioner;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One chunk of input (a Spark input partition) after parsing: its good edges as columns of entity keys,
 * local relation ids, weights and line indices; the distinct entities it mentions ({@link EndpointTable});
 * its bad rows counted by reason with the first few kept; and its line count, from which line numbers of
 * the whole file follow. Built in one pass by {@link #builder}.
 */
public final class ParsedChunk implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Rejected rows kept per chunk for the report; the job keeps the first of all chunks. */
    public static final int BAD_SAMPLES = 10;

    public static final int CHUNK_BITS = 17;
    public static final int LINE_BITS = 27;

    public final int split;
    public final int chunk;
    long lines;
    int size;
    long[] srcK1 = new long[1024];
    int[] srcK2 = new int[1024];
    long[] dstK1 = new long[1024];
    int[] dstK2 = new int[1024];
    int[] rel = new int[1024];
    float[] weight;
    int[] line = new int[1024];
    final List<String> relations = new ArrayList<>();
    final long[] badCounts = new long[BadRowReason.values().length];
    final List<BadRow> badSamples = new ArrayList<>();
    final EndpointTable endpoints = new EndpointTable();

    private ParsedChunk(int split, int chunk, boolean weighted) {
        this.split = split;
        this.chunk = chunk;
        this.weight = weighted ? new float[1024] : null;
    }

    public static Builder builder(int split, int chunk, EdgeRowParser parser, boolean weighted) {
        return new Builder(new ParsedChunk(split, chunk, weighted), parser);
    }

    /**
     * Where an endpoint appears, packed so "first appearance" is a min over longs: split, chunk, line in
     * chunk, side (0 src, 1 dst), and the type the relation gives it in the low {@link EntityRecord#TYPE_BITS}.
     */
    public static long position(int split, int chunk, long line, int side, int type) {
        return ((((((long) split << CHUNK_BITS) | chunk) << LINE_BITS | line) << 1 | side) << EntityRecord.TYPE_BITS)
                | type;
    }

    public long lines() {
        return lines;
    }

    public int size() {
        return size;
    }

    public long srcK1(int i) {
        return srcK1[i];
    }

    public int srcK2(int i) {
        return srcK2[i];
    }

    public long dstK1(int i) {
        return dstK1[i];
    }

    public int dstK2(int i) {
        return dstK2[i];
    }

    /** Index into {@link #relations()}. */
    public int rel(int i) {
        return rel[i];
    }

    public float weight(int i) {
        return weight == null ? 1f : weight[i];
    }

    public int line(int i) {
        return line[i];
    }

    public List<String> relations() {
        return relations;
    }

    public long[] badCounts() {
        return badCounts;
    }

    public List<BadRow> badSamples() {
        return badSamples;
    }

    public EndpointTable endpoints() {
        return endpoints;
    }

    /** Appends rows to a chunk; {@link #build} trims the columns. */
    public static final class Builder {
        private final ParsedChunk c;
        private final EdgeRowParser parser;
        private final ParsedEdge e = new ParsedEdge();
        private final Map<String, Integer> relIds = new HashMap<>();
        private final int trainOut;

        Builder(ParsedChunk chunk, EdgeRowParser parser) {
            this.c = chunk;
            this.parser = parser;
            this.trainOut = chunk.split == 0 ? 1 : 0;
        }

        /** Counts a line that holds no edge (a CSV header). */
        public void skipLine() {
            c.lines++;
        }

        public void addLine(String text) {
            parser.parseLine(text, e);
            accept();
        }

        public void addFields(String[] fields) {
            parser.parseFields(fields, e);
            accept();
        }

        private void accept() {
            long index = c.lines++;
            if (index >= 1L << LINE_BITS) {
                throw new IllegalStateException("an input partition has more than " + (1L << LINE_BITS)
                        + " lines; split the input into smaller files");
            }
            if (e.bad != null) {
                c.badCounts[e.bad.ordinal()]++;
                if (c.badSamples.size() < BAD_SAMPLES) {
                    c.badSamples.add(new BadRow(c.split, c.chunk, index, e.bad, e.detail));
                }
                return;
            }
            int n = c.size;
            if (n == c.rel.length) {
                grow();
            }
            Integer r = relIds.get(e.rel);
            if (r == null) {
                r = c.relations.size();
                relIds.put(e.rel, r);
                c.relations.add(e.rel);
            }
            long s1 = EntityKey.k1(e.src);
            int s2 = EntityKey.k2(e.src);
            long d1 = EntityKey.k1(e.dst);
            int d2 = EntityKey.k2(e.dst);
            c.srcK1[n] = s1;
            c.srcK2[n] = s2;
            c.dstK1[n] = d1;
            c.dstK2[n] = d2;
            c.rel[n] = r;
            c.line[n] = (int) index;
            if (c.weight != null) {
                c.weight[n] = e.weight;
            }
            c.size++;
            c.endpoints.add(s1, s2, position(c.split, c.chunk, index, 0, e.srcType), e.src, trainOut, 0);
            c.endpoints.add(d1, d2, position(c.split, c.chunk, index, 1, e.dstType), e.dst, 0, trainOut);
        }

        private void grow() {
            int cap = c.rel.length * 2;
            c.srcK1 = Arrays.copyOf(c.srcK1, cap);
            c.srcK2 = Arrays.copyOf(c.srcK2, cap);
            c.dstK1 = Arrays.copyOf(c.dstK1, cap);
            c.dstK2 = Arrays.copyOf(c.dstK2, cap);
            c.rel = Arrays.copyOf(c.rel, cap);
            c.line = Arrays.copyOf(c.line, cap);
            if (c.weight != null) {
                c.weight = Arrays.copyOf(c.weight, cap);
            }
        }

        public ParsedChunk build() {
            c.srcK1 = Arrays.copyOf(c.srcK1, c.size);
            c.srcK2 = Arrays.copyOf(c.srcK2, c.size);
            c.dstK1 = Arrays.copyOf(c.dstK1, c.size);
            c.dstK2 = Arrays.copyOf(c.dstK2, c.size);
            c.rel = Arrays.copyOf(c.rel, c.size);
            c.line = Arrays.copyOf(c.line, c.size);
            if (c.weight != null) {
                c.weight = Arrays.copyOf(c.weight, c.size);
            }
            return c;
        }
    }
}
