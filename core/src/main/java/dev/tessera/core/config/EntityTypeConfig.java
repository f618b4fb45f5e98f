package dev.tessera.core.config;

/** Settings of one entity type. {@code dimension} is null when the type uses the global dimension. */
public record EntityTypeConfig(String name, int numPartitions, boolean featurized, Integer dimension) {
}
