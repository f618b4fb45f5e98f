package dev.tessera.trainer;

import dev.tessera.model.ModelParameters;
import java.util.Map;

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
        return parts.get(PartitionBuffer.key(type, partsOfType[type] == 1 ? 0 : bucketSide));
    }
}
