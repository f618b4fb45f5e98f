package dev.tessera.model;

/**
 * A relation's transformation of right-hand-side embeddings, {@code y = g_r(x)}, applied to rows
 * {@code [from, to)} of dimension d at once (PBG's operators); the other rows of the arrays are left alone, so
 * one chunk's rows can pass through the operators of different relations. Parameters start at the identity,
 * so an untrained relation scores embeddings as they are.
 */
public interface Operator {
    String name();

    int parameterCount(int d);

    void initialize(float[] params, int d);

    /** {@code y_i = g(x_i)} for rows {@code i ∈ [from, to)}. */
    void forward(float[] params, float[] x, float[] y, int from, int to, int d);

    /**
     * Given {@code dy = ∂L/∂y} on rows {@code [from, to)}: overwrites those rows of {@code dx} with ∂L/∂x and
     * adds ∂L/∂params to {@code dParams}.
     */
    void backward(float[] params, float[] x, float[] dy, float[] dx, float[] dParams, int from, int to, int d);

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
