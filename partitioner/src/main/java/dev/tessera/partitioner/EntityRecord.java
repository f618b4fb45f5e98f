package dev.tessera.partitioner;

import java.io.Serializable;

/**
 * One entity while the dictionary is built: its key, first appearance (packed position, type in the low
 * 16 bits), name, training degrees, and once assigned its partition and offset.
 */
public final class EntityRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Bits of {@link #first} that hold the entity type. */
    public static final int TYPE_BITS = 16;

    public final long k1;
    public final int k2;
    public long first;
    public int outDegree;
    public int inDegree;
    public String name;
    public int part = -1;
    public int offset = -1;

    public EntityRecord(long k1, int k2, long first, int outDegree, int inDegree, String name) {
        this.k1 = k1;
        this.k2 = k2;
        this.first = first;
        this.outDegree = outDegree;
        this.inDegree = inDegree;
        this.name = name;
    }

    public int type() {
        return (int) (first & ((1 << TYPE_BITS) - 1));
    }

    public boolean trained() {
        return outDegree + inDegree > 0;
    }

    /** Combines the same entity seen in two chunks: the earlier appearance decides type and name. */
    public static EntityRecord merge(EntityRecord a, EntityRecord b) {
        EntityRecord earlier = a.first <= b.first ? a : b;
        EntityRecord later = earlier == a ? b : a;
        earlier.outDegree += later.outDegree;
        earlier.inDegree += later.inDegree;
        return earlier;
    }

    public Key96 key() {
        return new Key96(k1, k2);
    }

    /** The key as a value, for keyed Spark operations (a class: Spark's Kryo cannot serialize records). */
    public static final class Key96 implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long k1;
        private final int k2;

        public Key96(long k1, int k2) {
            this.k1 = k1;
            this.k2 = k2;
        }

        public long k1() {
            return k1;
        }

        public int k2() {
            return k2;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key96 k && k.k1 == k1 && k.k2 == k2;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(k1 * 0x9E3779B97F4A7C15L) ^ k2;
        }
    }
}
