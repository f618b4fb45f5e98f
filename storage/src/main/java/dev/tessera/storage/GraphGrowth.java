package dev.tessera.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * A growth of a graph gathered for one atomic write ({@link GraphStore#grow}): new entities, degree blocks and
 * edge blocks, in the order they were added (a later put of the same block wins). The caller says what it
 * adds; the keys and encodings stay in storage.
 */
public final class GraphGrowth {
    final List<Family> families = new ArrayList<>();
    final List<byte[]> keys = new ArrayList<>();
    final List<byte[]> values = new ArrayList<>();
    /** New entities' names and places; their name → entity keys depend on the store's format. */
    final List<String> entityNames = new ArrayList<>();

    final List<EntityRef> entityRefs = new ArrayList<>();

    private void add(Family family, byte[] key, byte[] value) {
        families.add(family);
        keys.add(key);
        values.add(value);
    }

    /** A new entity, in both directions of the dictionary. */
    public GraphGrowth addEntity(String name, EntityRef ref) {
        entityNames.add(name);
        entityRefs.add(ref);
        add(Family.NAMES, Keys.name(ref.type(), ref.part(), ref.offset()), ValueCodecs.encodeName(name));
        return this;
    }

    /**
     * The degrees of consecutive entities of a partition, from entity {@code first}: {@code out[i]} and
     * {@code in[i]} belong to entity {@code first + i}; cut into blocks of {@link DegreeBlock#MAX_ENTITIES}.
     */
    public GraphGrowth putDegrees(int type, int part, int first, int[] out, int[] in) {
        for (int from = 0; from < out.length; from += DegreeBlock.MAX_ENTITIES) {
            int count = Math.min(DegreeBlock.MAX_ENTITIES, out.length - from);
            add(
                    Family.DEGREES,
                    Keys.degrees(type, part, first + from),
                    ValueCodecs.encodeDegrees(out, in, from, count));
        }
        return this;
    }

    /** A stored degree block of a partition, replaced whole (an existing block with degrees grown). */
    public GraphGrowth putDegreeBlock(int type, int part, DegreeBlock block) {
        add(Family.DEGREES, Keys.degrees(type, part, block.first()), block.encode());
        return this;
    }

    /** One edge block at {@code key}. */
    public GraphGrowth putEdgeBlock(EdgeBlockKey key, EdgeBlock block) {
        add(
                Family.EDGES,
                Keys.edge(key.split(), key.lhsPart(), key.rhsPart(), key.chunk(), key.block()),
                block.encode());
        return this;
    }

    public int size() {
        return keys.size() + entityNames.size();
    }
}
