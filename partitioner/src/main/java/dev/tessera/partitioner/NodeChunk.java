package dev.tessera.partitioner;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One chunk of a node file ({@code import --nodes}: {@code name[<TAB>type]} per line) after parsing: the
 * entities it declares, with or without edges; its bad rows counted by reason with the first few kept; and
 * its line count. A declared entity's appearance comes before every edge's ({@link #position}), so the node
 * file's type is the entity's type, and an edge that uses it as another type is a wrong-type row. A name
 * listed twice keeps its first line's type. (A class, not a record: Spark's Kryo cannot serialize records.)
 */
public final class NodeChunk implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The split number a node file's bad rows carry, after train, valid and test. */
    public static final int SPLIT = 3;

    private final int chunk;
    private long lines;
    private final long[] badCounts = new long[BadRowReason.values().length];
    private final List<BadRow> badSamples = new ArrayList<>();
    private final EndpointTable endpoints = new EndpointTable();

    private NodeChunk(int chunk) {
        this.chunk = chunk;
    }

    /** Parses a chunk's lines; {@code types} are the config's entity type names, in type-id order. */
    public static NodeChunk parse(int chunk, Iterator<String> lines, List<String> types) {
        NodeChunk c = new NodeChunk(chunk);
        while (lines.hasNext()) {
            c.add(lines.next(), types);
        }
        return c;
    }

    /**
     * Where a node file declares an entity, packed as {@link ParsedChunk#position} packs an edge's endpoint but
     * with the sign bit set: before every edge, in file order, the type in the low bits.
     */
    static long position(int chunk, long line, int type) {
        return Long.MIN_VALUE
                | ((((long) chunk << ParsedChunk.LINE_BITS | line) << 1) << EntityRecord.TYPE_BITS)
                | type;
    }

    private void add(String line, List<String> types) {
        long index = lines++;
        if (index >= 1L << ParsedChunk.LINE_BITS) {
            throw new IllegalStateException("a node file partition has more than " + (1L << ParsedChunk.LINE_BITS)
                    + " lines; split the file into smaller ones");
        }
        String[] f = Delimited.splitTabs(line);
        String name = f[0].trim();
        if (f.length > 2) {
            reject(index, BadRowReason.WRONG_COLUMN_COUNT, f.length + " columns, expected 1 or 2 (name[<TAB>type])");
            return;
        }
        if (name.isEmpty()) {
            reject(index, BadRowReason.EMPTY_ID, "empty node id");
            return;
        }
        int type;
        if (f.length == 2) {
            String typeName = f[1].trim();
            type = types.indexOf(typeName);
            if (type < 0) {
                reject(
                        index,
                        BadRowReason.UNKNOWN_ENTITY_TYPE,
                        "entity type '" + typeName + "' is not declared (declared: " + String.join(", ", types) + ")");
                return;
            }
        } else if (types.size() == 1) {
            type = 0;
        } else {
            reject(
                    index,
                    BadRowReason.WRONG_COLUMN_COUNT,
                    "no type column, and the config declares " + types.size() + " entity types ("
                            + String.join(", ", types) + ")");
            return;
        }
        endpoints.add(EntityKey.k1(name), EntityKey.k2(name), position(chunk, index, type), name, 0, 0);
    }

    private void reject(long index, BadRowReason reason, String detail) {
        badCounts[reason.ordinal()]++;
        if (badSamples.size() < ParsedChunk.BAD_SAMPLES) {
            badSamples.add(new BadRow(SPLIT, chunk, index, reason, detail));
        }
    }

    public int chunk() {
        return chunk;
    }

    public long lines() {
        return lines;
    }

    public long[] badCounts() {
        return badCounts;
    }

    public List<BadRow> badSamples() {
        return badSamples;
    }

    /** The entities declared, as records without degrees, for merging with the edges' endpoints. */
    public Iterator<EntityRecord> records() {
        return endpoints.records();
    }
}
