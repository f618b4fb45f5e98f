package dev.tessera.nd4j;

import dev.tessera.serving.EmbeddingMatrix;
import dev.tessera.serving.EmbeddingModel;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A checkpoint's embeddings as ND4J arrays, for DL4J and ND4J models. ND4J's arrays live off the Java heap and a
 * JVM array cannot be wrapped, so the matrix is copied once, in bulk, into a {@code rows × dimension} float array
 * in row-major ({@code 'c'}) order: the layout of Tessera's own, so no element is reordered.
 */
public final class Nd4jEmbeddings {
    private Nd4jEmbeddings() {}

    /** A type's embeddings, row i being the entity {@code names.get(i)}. */
    public record TypeEmbeddings(INDArray vectors, List<String> names) {}

    /**
     * The latest embeddings of {@code type} in the checkpoint of a graph, with their names; the graph and the
     * checkpoint are closed before it returns.
     */
    public static TypeEmbeddings load(Path graph, Path checkpoint, String type) {
        try (EmbeddingModel model = EmbeddingModel.open(graph, checkpoint)) {
            return new TypeEmbeddings(vectors(model, type), model.names(type));
        }
    }

    /** {@code type}'s embeddings as a {@code rows × dimension} float array (one copy of the model's). */
    public static INDArray vectors(EmbeddingModel model, String type) {
        return toINDArray(model.vectors(type));
    }

    /** The matrix as a {@code rows × dimension} float array in row-major order (one bulk copy). */
    public static INDArray toINDArray(EmbeddingMatrix m) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, m.rows(), m.dimension());
        new FloatPointer(out.data().addressPointer()).put(m.values(), 0, m.rows() * m.dimension());
        return out;
    }
}
