package dev.tessera.trainer;

/**
 * One bucket of the P×P grid: the edges from partition {@code lhs} to partition {@code rhs}.
 *
 * @param index its place in the epoch's order (seeds its workers' random streams)
 */
public record Bucket(int lhs, int rhs, int index) {}
