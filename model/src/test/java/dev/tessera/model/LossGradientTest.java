package dev.tessera.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.LossName;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LossGradientTest {
    private static final int N = 4;
    private static final int M = 5;

    @ParameterizedTest
    @ValueSource(strings = {"ranking", "logistic", "softmax"})
    void gradientsMatchFiniteDifferences(String name) {
        Loss loss = Loss.of(LossName.of(name), 0.5);
        Random r = new Random(name.hashCode());
        float[] pos = GradientCheck.random(r, N, 1f);
        float[] neg = GradientCheck.random(r, N * M, 1f);
        if (name.equals("ranking")) {
            avoidHinge(pos, neg, 0.5f);
        }
        float[] w = {1f, 0.5f, 2f, 1.5f};
        float[] dPos = new float[N];
        float[] dNeg = new float[N * M];
        loss.compute(pos, neg, w, N, M, dPos, dNeg);
        GradientCheck.check(
                name + " dpos", pos, dPos, ps -> loss.compute(ps, neg, w, N, M, new float[N], new float[N * M]));
        GradientCheck.check(
                name + " dneg", neg, dNeg, ns -> loss.compute(pos, ns, w, N, M, new float[N], new float[N * M]));
    }

    @Test
    void selfAdversarialGradientsHoldItsWeightsConstant() {
        // Sun et al. differentiate Σ p_j softplus(γ + s_j) with the weights p = softmax(α s) held constant: the
        // finite differences are of that surrogate, with p frozen at the point of evaluation.
        float gamma = 1.5f;
        float alpha = 0.7f;
        Loss loss = Loss.of(LossName.SELF_ADVERSARIAL, gamma, alpha);
        Random r = new Random(5);
        float[] pos = GradientCheck.random(r, N, 2f);
        float[] neg = GradientCheck.random(r, N * M, 2f);
        float[] w = {1f, 0.5f, 2f, 1.5f};
        float[] dPos = new float[N];
        float[] dNeg = new float[N * M];
        double value = loss.compute(pos, neg, w, N, M, dPos, dNeg);
        double[] p = new double[N * M];
        for (int i = 0; i < N; i++) {
            double sum = 0;
            for (int j = 0; j < M; j++) {
                sum += Math.exp(alpha * neg[i * M + j]);
            }
            for (int j = 0; j < M; j++) {
                p[i * M + j] = Math.exp(alpha * neg[i * M + j]) / sum;
            }
        }
        assertEquals(surrogate(pos, neg, p, w, gamma), value, 1e-4 * Math.abs(value));
        GradientCheck.check("self_adversarial dpos", pos, dPos, ps -> surrogate(ps, neg, p, w, gamma));
        GradientCheck.check("self_adversarial dneg", neg, dNeg, ns -> surrogate(pos, ns, p, w, gamma));
    }

    private static double surrogate(float[] pos, float[] neg, double[] p, float[] w, float gamma) {
        double loss = 0;
        for (int i = 0; i < N; i++) {
            double v = Math.log1p(Math.exp(-(gamma + pos[i])));
            for (int j = 0; j < M; j++) {
                v += p[i * M + j] * Math.log1p(Math.exp(gamma + neg[i * M + j]));
            }
            loss += w[i] * v;
        }
        return loss;
    }

    @Test
    void valuesMatchTheirDefinitions() {
        float[] pos = {2f};
        float[] neg = {1f, 3f};
        float[] w = {1f};
        float[] dp = new float[1];
        float[] dn = new float[2];
        // ranking, margin 1: max(0, 1 - 2 + 1) + max(0, 1 - 2 + 3) = 0 + 2
        assertEquals(2.0, Loss.of(LossName.RANKING, 1).compute(pos, neg, w, 1, 2, dp, dn), 1e-6);
        // logistic: softplus(-2) + (softplus(1) + softplus(3)) / 2
        double logistic = Math.log1p(Math.exp(-2)) + (Math.log1p(Math.exp(1)) + Math.log1p(Math.exp(3))) / 2;
        assertEquals(
                logistic,
                Loss.of(LossName.LOGISTIC, 0).compute(pos, neg, w, 1, 2, dp, dn),
                1e-5); // the negatives' softplus is good to 4e-5 relative (FastMath)
        // softmax: log(e^2 + e^1 + e^3) - 2
        double softmax = Math.log(Math.exp(2) + Math.exp(1) + Math.exp(3)) - 2;
        assertEquals(
                softmax,
                Loss.of(LossName.SOFTMAX, 0).compute(pos, neg, w, 1, 2, dp, dn),
                1e-5); // the loss exponential is good to 3e-5 relative (FastMath)
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic", "self_adversarial"})
    void negativesFarFromThePositiveGetNoSubnormalGradient(String name) {
        // Scores far below the margin: the sigmoids and (self-adversarial) weights near e^-87 would multiply into
        // subnormal floats, which cost a microcode assist in every operation downstream.
        Loss loss = Loss.of(LossName.of(name), 1, 1);
        int m = 64;
        float[] neg = new float[m];
        for (int j = 0; j < m; j++) {
            neg[j] = -10f - 2f * j;
        }
        float[] dNeg = new float[m];
        loss.compute(new float[] {0f}, neg, new float[] {0.5f}, 1, m, new float[1], dNeg);
        assertTrue(dNeg[0] > 0, "the nearest negative keeps its gradient");
        for (int j = 0; j < m; j++) {
            assertTrue(dNeg[j] == 0f || dNeg[j] >= Float.MIN_NORMAL, "negative " + j + ": " + dNeg[j]);
        }
    }

    /** Keeps every margin term away from its kink, where a finite difference straddles two slopes. */
    private static void avoidHinge(float[] pos, float[] neg, float margin) {
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < M; j++) {
                float v = margin - pos[i] + neg[i * M + j];
                if (Math.abs(v) < 0.1f) {
                    neg[i * M + j] += 0.3f;
                }
            }
        }
    }
}
