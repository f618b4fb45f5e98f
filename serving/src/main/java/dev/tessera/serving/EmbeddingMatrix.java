package dev.tessera.serving;

/**
 * The embeddings of one entity type as a row-major {@code rows × dimension} matrix: row i is the entity that
 * {@link EmbeddingModel#names} lists i-th, element 0 its bias where the model has one (as the model scores it).
 */
public record EmbeddingMatrix(int rows, int dimension, float[] values) {}
