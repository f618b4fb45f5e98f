package dev.tessera.core.config;

/** Settings of one entity type. Every type shares the top-level {@code dimension}. */
public record EntityTypeConfig(String name, int numPartitions, boolean featurized) {}
