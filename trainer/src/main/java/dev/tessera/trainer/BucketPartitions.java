package dev.tessera.trainer;

import dev.tessera.model.ModelParameters;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The partitions one bucket trains on, by relation: the head side of relation {@code r} is its head type's
 * partition {@code bucket.lhs()} (partition 0 when the type is not partitioned), the tail side likewise.
 */
record BucketPartitions(Bucket bucket, Map<Long, EmbeddingPartition> parts, int[] partsOfType, ModelParameters params) {
    EmbeddingPartition lhs(int rel) {
        return side(params.lhsType[rel], bucket.lhs());
    }

    EmbeddingPartition rhs(int rel) {
        return side(params.rhsType[rel], bucket.rhs());
    }

    private EmbeddingPartition side(int type, int bucketSide) {
        return parts.get(key(type, bucketSide, partsOfType));
    }

    /**
     * The partitions of every type {@code bucket}'s relations touch, as {@link PartitionBuffer#key}s; a relation
     * with an unpartitioned side trains only in the buckets of that side's partition 0.
     */
    static Set<Long> needed(Bucket bucket, ModelParameters params, int[] partsOfType) {
        Set<Long> keys = new HashSet<>();
        for (int r = 0; r < params.lhsType.length; r++) {
            int lt = params.lhsType[r];
            int rt = params.rhsType[r];
            if (partsOfType[lt] == 1 && bucket.lhs() != 0 || partsOfType[rt] == 1 && bucket.rhs() != 0) {
                continue;
            }
            keys.add(key(lt, bucket.lhs(), partsOfType));
            keys.add(key(rt, bucket.rhs(), partsOfType));
        }
        return keys;
    }

    /** Type {@code type}'s partition on a bucket side: the side's number, or 0 when the type is not partitioned. */
    private static long key(int type, int bucketSide, int[] partsOfType) {
        return PartitionBuffer.key(type, partsOfType[type] == 1 ? 0 : bucketSide);
    }
}
