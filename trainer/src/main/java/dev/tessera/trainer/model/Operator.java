package dev.tessera.trainer.model;

/**
 * A relation's transformation of right-hand-side embeddings, {@code y = g_r(x)}, applied to n rows of
 * dimension d at once (PBG's operators). Parameters start at the identity, so an untrained relation
 * scores embeddings as they are.
 */
public interface Operator {
    String name();

    int parameterCount(int d);

    void initialize(float[] params, int d);

    /** {@code y[n×d] = g(x[n×d])}. */
    void forward(float[] params, float[] x, float[] y, int n, int d);

    /** Given {@code dy = ∂L/∂y}: overwrites {@code dx} with ∂L/∂x and adds ∂L/∂params to {@code dParams}. */
    void backward(float[] params, float[] x, float[] dy, float[] dx, float[] dParams, int n, int d);

    static Operator of(String name) {
        return switch (name) {
            case "none" -> new Operators.Identity();
            case "translation" -> new Operators.Translation();
            case "diagonal" -> new Operators.Diagonal();
            case "linear" -> new Operators.Linear(false);
            case "affine" -> new Operators.Linear(true);
            case "complex_diagonal" -> new Operators.ComplexDiagonal();
            default -> throw new IllegalArgumentException("unknown operator '" + name + "'");
        };
    }
}
