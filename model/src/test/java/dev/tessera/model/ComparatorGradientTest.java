package dev.tessera.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.core.config.ComparatorName;
import dev.tessera.model.backend.JavaBackend;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComparatorGradientTest {
    private static final int N = 3;
    private static final int M = 4;
    private static final int D = 5;
    private static final JavaBackend BACKEND = new JavaBackend();

    @ParameterizedTest
    @ValueSource(strings = {"dot", "cos", "l2", "squared_l2", "dot+bias", "cos+bias", "l2+bias", "squared_l2+bias"})
    void allPairsScoresMatchThePairwiseDefinition(String name) {
        Comparator c = comparator(name);
        Random r = new Random(7);
        float[] a = GradientCheck.random(r, N * D, 1f);
        float[] b = GradientCheck.random(r, M * D, 1f);
        float[] all = new float[N * M];
        c.all(BACKEND, a, b, all, N, M, D);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < M; j++) {
                float[] ai = java.util.Arrays.copyOfRange(a, i * D, i * D + D);
                float[] bj = java.util.Arrays.copyOfRange(b, j * D, j * D + D);
                float[] one = new float[1];
                c.pairs(ai, bj, one, 1, D);
                assertEquals(reference(name, ai, bj), one[0], 1e-4, name + " pairs");
                assertEquals(one[0], all[i * M + j], 1e-4, name + " all(" + i + "," + j + ")");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dot", "cos", "l2", "squared_l2", "dot+bias", "cos+bias", "l2+bias", "squared_l2+bias"})
    void allPairsBackwardMatchesFiniteDifferences(String name) {
        Comparator c = comparator(name);
        Random r = new Random(name.hashCode());
        float[] a = GradientCheck.random(r, N * D, 1f);
        float[] b = GradientCheck.random(r, M * D, 1f);
        float[] dOut = GradientCheck.random(r, N * M, 1f);
        for (int i = 0; i < N; i++) {
            dOut[i * M + M - 1] = 0f; // a candidate none of whose scores matter: its gradient is 0, not left NaN
        }
        float[] da = new float[N * D];
        float[] db = new float[M * D];
        float[] scores = new float[N * M];
        c.all(BACKEND, a, b, scores, N, M, D);
        java.util.Arrays.fill(db, Float.NaN); // overwritten, not added to
        c.allBackward(BACKEND, a, b, scores, dOut, da, db, N, M, D);
        GradientCheck.check(name + " all da", a, da, as -> all(c, as, b, dOut));
        GradientCheck.check(name + " all db", b, db, bs -> all(c, a, bs, dOut));
    }

    @Test
    void l2GradientIsZeroWhereTheDistanceIsClampedAndOrdinaryElsewhere() {
        // Row 0 of a is 1e-7 from row 0 of b (zeros): a squared distance of 1e-14, clamped to EPS, where the
        // distance has no gradient (PBG's clamp); unclamped it would be (a - b) / 1e-6, 0.1 in the first coordinate.
        Comparator c = comparator("l2");
        float[] a = new float[N * D];
        float[] b = new float[M * D];
        a[0] = 1e-7f;
        Random r = new Random(3);
        for (int k = D; k < a.length; k++) {
            a[k] = r.nextFloat();
        }
        for (int k = D; k < b.length; k++) {
            b[k] = r.nextFloat();
        }
        float[] scores = new float[N * M];
        c.all(BACKEND, a, b, scores, N, M, D);
        assertEquals(-(float) Math.sqrt(Comparators.EPS), scores[0]);
        float[] dOut = new float[N * M];
        dOut[0] = 1f;
        float[] da = new float[N * D];
        float[] db = new float[M * D];
        c.allBackward(BACKEND, a, b, scores, dOut, da, db, N, M, D);
        for (float g : da) {
            assertEquals(0f, g, 0f);
        }
        for (float g : db) {
            assertEquals(0f, g, 0f);
        }
        dOut[0] = 0f;
        dOut[1] = 1f; // row 0 against b's row 1: an ordinary distance
        c.allBackward(BACKEND, a, b, scores, dOut, da, db, N, M, D);
        for (int k = 0; k < D; k++) {
            assertEquals((a[k] - b[D + k]) / -scores[1], -da[k], 1e-4, "da " + k);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dot", "cos", "l2", "squared_l2", "dot+bias", "cos+bias", "l2+bias", "squared_l2+bias"})
    void pairsAndPrepareBackwardMatchFiniteDifferences(String name) {
        Comparator c = comparator(name);
        Random r = new Random(name.hashCode() + 1);
        float[] a = GradientCheck.random(r, N * D, 1f);
        float[] b = GradientCheck.random(r, N * D, 1f);
        float[] dOut = GradientCheck.random(r, N, 1f);
        float[] da = new float[N * D];
        float[] db = new float[N * D];
        c.pairsBackward(a, b, dOut, da, db, N, D);
        GradientCheck.check(name + " pairs da", a, da, as -> pairs(c, as, b, dOut));
        GradientCheck.check(name + " pairs db", b, db, bs -> pairs(c, a, bs, dOut));

        float[] dPrepared = GradientCheck.random(r, N * D, 1f);
        float[] dx = new float[N * D];
        c.prepareBackward(a, dPrepared, dx, N, D);
        GradientCheck.check(name + " prepare", a, dx, xs -> {
            float[] y = new float[N * D];
            c.prepare(xs, y, N, D);
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += y[i] * dPrepared[i];
            }
            return s;
        });
    }

    private static double all(Comparator c, float[] a, float[] b, float[] w) {
        float[] s = new float[N * M];
        c.all(BACKEND, a, b, s, N, M, D);
        return dotWith(s, w);
    }

    private static double pairs(Comparator c, float[] a, float[] b, float[] w) {
        float[] s = new float[N];
        c.pairs(a, b, s, N, D);
        return dotWith(s, w);
    }

    private static double dotWith(float[] s, float[] w) {
        double t = 0;
        for (int i = 0; i < s.length; i++) {
            t += s[i] * w[i];
        }
        return t;
    }

    private static Comparator comparator(String name) {
        return Comparator.of(ComparatorName.of(name.replace("+bias", "")), name.endsWith("+bias"));
    }

    /** Definitions written out directly, independent of the kernels. */
    private static double reference(String name, float[] a, float[] b) {
        if (name.endsWith("+bias")) {
            float[] a1 = java.util.Arrays.copyOfRange(a, 1, a.length);
            float[] b1 = java.util.Arrays.copyOfRange(b, 1, b.length);
            return reference(name.replace("+bias", ""), a1, b1) + a[0] + b[0];
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        double sq = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
            sq += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return switch (name) {
            case "dot" -> dot;
            case "cos" -> dot; // pairs() scores prepared rows; cos normalisation is prepare()'s job
            case "l2" -> -Math.sqrt(sq);
            default -> -sq;
        };
    }
}
