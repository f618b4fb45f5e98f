package dev.tessera.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.core.config.OperatorName;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorGradientTest {
    private static final int N = 3;
    private static final int D = 6;

    @ParameterizedTest
    @ValueSource(strings = {"none", "translation", "diagonal", "linear", "affine", "complex_diagonal", "rotate"})
    void backwardMatchesFiniteDifferences(String name) {
        Operator op = Operator.of(OperatorName.of(name));
        Random r = new Random(name.hashCode());
        float[] x = GradientCheck.random(r, N * D, 1f);
        float[] p = GradientCheck.random(r, op.parameterCount(D), 1f);
        float[] dy = GradientCheck.random(r, N * D, 1f);
        float[] dx = new float[N * D];
        float[] dp = new float[p.length];
        op.backward(p, x, dy, dx, dp, 0, N, D);
        GradientCheck.check(name + " dx", x, dx, xs -> weighted(op, p, xs, dy));
        GradientCheck.check(name + " dparams", p, dp, ps -> weighted(op, ps, x, dy));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "translation", "diagonal", "linear", "affine", "complex_diagonal", "rotate"})
    void initialParametersAreTheIdentity(String name) {
        Operator op = Operator.of(OperatorName.of(name));
        float[] p = new float[op.parameterCount(D)];
        op.initialize(p, D);
        float[] x = GradientCheck.random(new Random(1), N * D, 1f);
        float[] y = new float[N * D];
        op.forward(p, x, y, 0, N, D);
        assertArrayEquals(x, y, 1e-6f);
        assertEquals(name, op.name().configName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "translation", "diagonal", "linear", "affine", "complex_diagonal", "rotate"})
    void aRangeOfRowsIsTransformedAsIfAlone(String name) {
        // A chunk mixing relations passes each relation's rows through its own operator: rows outside the
        // range must keep their values, and rows inside must come out as they would on their own.
        Operator op = Operator.of(OperatorName.of(name));
        Random r = new Random(name.hashCode() + 1);
        float[] x = GradientCheck.random(r, N * D, 1f);
        float[] p = GradientCheck.random(r, op.parameterCount(D), 1f);
        float[] dy = GradientCheck.random(r, N * D, 1f);
        float[] y = new float[N * D];
        Arrays.fill(y, 7f);
        float[] dx = new float[N * D];
        Arrays.fill(dx, 7f);
        float[] dp = new float[p.length];
        op.forward(p, x, y, 1, 2, D);
        op.backward(p, x, dy, dx, dp, 1, 2, D);

        float[] yAlone = new float[D];
        float[] dxAlone = new float[D];
        float[] dpAlone = new float[p.length];
        float[] xRow = Arrays.copyOfRange(x, D, 2 * D);
        op.forward(p, xRow, yAlone, 0, 1, D);
        op.backward(p, xRow, Arrays.copyOfRange(dy, D, 2 * D), dxAlone, dpAlone, 0, 1, D);
        for (int k = 0; k < D; k++) {
            assertEquals(7f, y[k]);
            assertEquals(7f, y[2 * D + k]);
            assertEquals(7f, dx[k]);
            assertEquals(7f, dx[2 * D + k]);
        }
        assertArrayEquals(yAlone, Arrays.copyOfRange(y, D, 2 * D), 1e-6f);
        assertArrayEquals(dxAlone, Arrays.copyOfRange(dx, D, 2 * D), 1e-6f);
        assertArrayEquals(dpAlone, dp, 1e-6f);
    }

    @org.junit.jupiter.api.Test
    void complexDiagonalMultipliesComplexNumbers() {
        Operator op = Operator.of(OperatorName.COMPLEX_DIAGONAL);
        // x = (1 + 2i, 3 - 1i), r = (2 - 1i, 0 + 1i): products (4 + 3i), (1 + 3i).
        float[] x = {1, 3, 2, -1};
        float[] r = {2, 0, -1, 1};
        float[] y = new float[4];
        op.forward(r, x, y, 0, 1, 4);
        assertArrayEquals(new float[] {4, 1, 3, 3}, y, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> op.parameterCount(5));
    }

    private static double weighted(Operator op, float[] p, float[] x, float[] dy) {
        float[] y = new float[N * D];
        op.forward(p, x, y, 0, N, D);
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * dy[i];
        }
        return s;
    }
}
