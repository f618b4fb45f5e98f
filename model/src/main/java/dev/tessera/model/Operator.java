package dev.tessera.model;

import dev.tessera.core.config.OperatorName;

/**
 * A relation's transformation of right-hand-side embeddings, {@code y = g_r(x)}, applied to rows
 * {@code [from, to)} of dimension d at once (PBG's operators); the other rows of the arrays are left alone, so
 * one chunk's rows can pass through the operators of different relations. Parameters start at the identity,
 * so an untrained relation scores embeddings as they are.
 */
public interface Operator {
    OperatorName name();

    int parameterCount(int d);

    void initialize(float[] params, int d);

    /** {@code y_i = g(x_i)} for rows {@code i ∈ [from, to)}. */
    void forward(float[] params, float[] x, float[] y, int from, int to, int d);

    /**
     * Given {@code dy = ∂L/∂y} on rows {@code [from, to)}: overwrites those rows of {@code dx} with ∂L/∂x and
     * adds ∂L/∂params to {@code dParams}.
     */
    void backward(float[] params, float[] x, float[] dy, float[] dx, float[] dParams, int from, int to, int d);

    static Operator of(OperatorName name) {
        return switch (name) {
            case NONE -> new Operators.Identity();
            case TRANSLATION -> new Operators.Translation();
            case DIAGONAL -> new Operators.Diagonal();
            case LINEAR -> new Operators.Linear(false);
            case AFFINE -> new Operators.Linear(true);
            case COMPLEX_DIAGONAL -> new Operators.ComplexDiagonal();
            case ROTATE -> new Operators.Rotation();
        };
    }
}
