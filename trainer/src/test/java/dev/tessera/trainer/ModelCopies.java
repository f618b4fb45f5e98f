package dev.tessera.trainer;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import java.util.Objects;
import java.util.stream.Stream;

/** Copies of a model's pieces, so gradient tests can step or perturb one copy and keep the original. */
final class ModelCopies {
    private ModelCopies() {}

    /** Relation parameters of the first two relations, their reciprocals, and type 0's global embedding, as far as present. */
    static float[][] parameterVectors(ModelParameters p) {
        return Stream.of(
                        p.relation[0],
                        p.relation[1],
                        p.reciprocal == null ? null : p.reciprocal[0],
                        p.reciprocal == null ? null : p.reciprocal[1],
                        p.global[0])
                .filter(Objects::nonNull)
                .toArray(float[][]::new);
    }

    static EmbeddingPartition partition(EmbeddingPartition p) {
        EmbeddingPartition c = new EmbeddingPartition(p.type, p.part, p.rows, p.d);
        System.arraycopy(p.embeddings, 0, c.embeddings, 0, p.embeddings.length);
        return c;
    }

    static ModelParameters parameters(TesseraConfig config, ModelParameters p, int d) {
        ModelParameters c = new ModelParameters(config, d);
        float[][] from = parameterVectors(p);
        float[][] to = parameterVectors(c);
        for (int v = 0; v < from.length; v++) {
            System.arraycopy(from[v], 0, to[v], 0, from[v].length);
        }
        return c;
    }
}
