package dev.tessera.model;

/** PBG's losses, with the same reductions (sums; logistic negatives weighted 1/m). */
final class Losses {
    /**
     * Negatives' gradient factors (sigmoids, self-adversarial weights) at or below this are 0, so that their
     * products stay normal floats (see {@link FastMath#flushBelow}); both are at most 1, so what is lost is at most
     * 1e-12 of a term.
     */
    static final float GRADIENT_FLOOR = 1e-12f;

    private Losses() {}

    /** {@code Σ_i w_i Σ_j max(0, margin - pos_i + neg_ij)}. */
    static final class Ranking implements Loss {
        private final float margin;

        Ranking(float margin) {
            this.margin = margin;
        }

        @Override
        public double compute(float[] pos, float[] neg, float[] w, int n, int m, float[] dPos, float[] dNeg) {
            double loss = 0;
            for (int i = 0; i < n; i++) {
                float dp = 0;
                for (int j = 0; j < m; j++) {
                    float v = margin - pos[i] + neg[i * m + j];
                    if (v > 0) {
                        loss += w[i] * v;
                        dNeg[i * m + j] = w[i];
                        dp -= w[i];
                    } else {
                        dNeg[i * m + j] = 0;
                    }
                }
                dPos[i] = dp;
            }
            return loss;
        }
    }

    /** {@code Σ_i w_i [softplus(-pos_i) + (1/m) Σ_j softplus(neg_ij)]}: binary cross-entropy with logits. */
    static final class Logistic implements Loss {
        private final LogisticRow terms = new LogisticRow();

        @Override
        public double compute(float[] pos, float[] neg, float[] w, int n, int m, float[] dPos, float[] dNeg) {
            double loss = 0;
            float negWeight = m > 0 ? 1f / m : 0f;
            terms.ensure(m);
            for (int i = 0; i < n; i++) {
                loss += w[i] * softplus(-pos[i]);
                dPos[i] = -w[i] * sigmoid(-pos[i]);
                terms.of(neg, i * m, m, 0f);
                loss += w[i] * negWeight * FastMath.sum(terms.softplus, 0, m);
                float scale = w[i] * negWeight;
                for (int k = 0; k < m; k++) {
                    terms.sigmoid[k] *= scale;
                }
                System.arraycopy(terms.sigmoid, 0, dNeg, i * m, m);
            }
            return loss;
        }
    }

    /** {@code Σ_i w_i [logsumexp(pos_i, neg_i·) - pos_i]}: cross-entropy with the positive as the class. */
    static final class Softmax implements Loss {
        @Override
        public boolean normalisesRow() {
            return true;
        }

        @Override
        public double compute(float[] pos, float[] neg, float[] w, int n, int m, float[] dPos, float[] dNeg) {
            double loss = 0;
            for (int i = 0; i < n; i++) {
                int row = i * m;
                float max = FastMath.max(neg, row, m, pos[i]);
                // e_j = exp(s_j - max) is kept in dNeg and scaled into the gradient e_j / Σe.
                FastMath.expShifted(neg, max, dNeg, row, m);
                float ePos = FastMath.expNonPositive(pos[i] - max);
                float sum = ePos + FastMath.sum(dNeg, row, m);
                double lse = max + Math.log(sum);
                loss += w[i] * (lse - pos[i]);
                float scale = w[i] / sum;
                dPos[i] = w[i] * (ePos / sum - 1);
                for (int j = row; j < row + m; j++) {
                    dNeg[j] *= scale;
                }
            }
            return loss;
        }
    }

    /**
     * RotatE's self-adversarial negative sampling (Sun et al. 2019): {@code Σ_i w_i [softplus(-(γ + pos_i)) +
     * Σ_j p_ij softplus(γ + neg_ij)]} with {@code p_i· = softmax(α · neg_i·)}, so the negatives the model scores
     * highest weigh most. As in the paper the weights are constants of the gradient (computed, not
     * differentiated): {@code dNeg_ij = w_i p_ij σ(γ + neg_ij)}. Scores are negated distances, so γ + score is
     * positive for a pair closer than γ.
     */
    static final class SelfAdversarial implements Loss {
        private final float gamma;
        private final float temperature;
        private final LogisticRow terms = new LogisticRow();

        SelfAdversarial(float gamma, float temperature) {
            this.gamma = gamma;
            this.temperature = temperature;
        }

        @Override
        public double compute(float[] pos, float[] neg, float[] w, int n, int m, float[] dPos, float[] dNeg) {
            double loss = 0;
            terms.ensure(m);
            for (int i = 0; i < n; i++) {
                terms.of(neg, i * m, m, gamma);
                // The weights' exponentials beside the terms, at index 0 too.
                float[] x = terms.scores;
                float[] e = terms.weights;
                for (int k = 0; k < m; k++) {
                    e[k] = temperature * x[k];
                }
                float max = FastMath.max(e, 0, m, Float.NEGATIVE_INFINITY);
                FastMath.expShifted(e, max, e, 0, m);
                FastMath.flushBelow(e, GRADIENT_FLOOR, m);
                float sum = FastMath.sum(e, 0, m);
                for (int k = 0; k < m; k++) {
                    terms.softplus[k] *= e[k];
                }
                double value = softplus(-(gamma + pos[i])) + FastMath.sum(terms.softplus, 0, m) / sum;
                float scale = w[i] / sum;
                for (int k = 0; k < m; k++) {
                    terms.sigmoid[k] *= scale * e[k];
                }
                System.arraycopy(terms.sigmoid, 0, dNeg, i * m, m);
                loss += w[i] * value;
                dPos[i] = -w[i] * sigmoid(-(gamma + pos[i]));
            }
            return loss;
        }
    }

    /**
     * Scratch for one row of negatives: a copy of their scores, the self-adversarial weights, and their softplus
     * and sigmoid terms ({@link FastMath#logistic}). It makes a loss one per thread.
     */
    private static final class LogisticRow {
        float[] scores = new float[0];
        float[] weights = new float[0];
        float[] softplus = new float[0];
        float[] sigmoid = new float[0];

        void ensure(int m) {
            if (scores.length < m) {
                scores = new float[m];
                weights = new float[m];
                softplus = new float[m];
                sigmoid = new float[m];
            }
        }

        /**
         * Copies the row {@code neg[offset, offset+m)} to index 0, where the JIT vectorises every pass, and computes
         * its terms at {@code score + shift}.
         */
        void of(float[] neg, int offset, int m, float shift) {
            System.arraycopy(neg, offset, scores, 0, m);
            FastMath.logistic(scores, shift, softplus, sigmoid, m);
            FastMath.flushBelow(sigmoid, GRADIENT_FLOOR, m);
        }
    }

    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static float sigmoid(float x) {
        return (float) (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    }
}
