package dev.tessera.partitioner;

import java.io.Serializable;
import java.util.Objects;

/**
 * Sort key for ranked partitioning: type first, then a number (negated degree, community), then the name.
 * (A class: Spark's Kryo cannot serialize records.)
 */
public final class RankKey implements Comparable<RankKey>, Serializable {
    private static final long serialVersionUID = 1L;
    private final int type;
    private final long order;
    private final String name;

    public RankKey(int type, long order, String name) {
        this.type = type;
        this.order = order;
        this.name = name;
    }

    @Override
    public int compareTo(RankKey o) {
        if (type != o.type) {
            return Integer.compare(type, o.type);
        }
        if (order != o.order) {
            return Long.compare(order, o.order);
        }
        return name.compareTo(o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankKey k && type == k.type && order == k.order && name.equals(k.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, order, name);
    }
}
