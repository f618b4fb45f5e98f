package dev.tessera.model;

/** Embedding rows of a model by entity type, as scoring sees them (global embedding added). */
public interface EmbeddingRows {
    /** A copy of the given rows of {@code type}, in the order given; {@code rows} null: every row. */
    float[] rows(int type, int[] rows);
}
