package dev.tessera.trainer;

import dev.tessera.core.config.OperatorName;
import dev.tessera.model.ModelParameters;
import java.util.Arrays;

/**
 * N3 (Lacroix et al. 2018): {@code coef · Σ |x|³}, over complex moduli when every operator is ComplEx's,
 * element-wise otherwise; on a chunk's embedding rows and on the relation parameters its positives use.
 * Owns one scratch row, so one instance per {@link ChunkTrainer}.
 */
final class N3Regularizer {
    private final float coef;
    private final int d;
    private final boolean complexModulus;
    /** N3's gradient on one relation's parameters (see {@link #params}). */
    private final float[] paramGradient;

    /** N3 at {@code coef} for a model's rows of d: over complex moduli when every operator is ComplEx's. */
    static N3Regularizer of(double coef, int d, ModelParameters params) {
        return new N3Regularizer(
                coef, d, Arrays.stream(params.operators).allMatch(o -> o.name() == OperatorName.COMPLEX_DIAGONAL));
    }

    N3Regularizer(double coef, int d, boolean complexModulus) {
        this.coef = (float) coef;
        this.d = d;
        this.complexModulus = complexModulus;
        this.paramGradient = new float[d];
    }

    /** N3 of {@code rows} rows of {@code x}: adds its gradient to {@code g}; returns its value (0 when off). */
    double rows(float[] x, float[] g, int rows) {
        return rows(x, g, rows, null);
    }

    /** {@link #rows}, row i counted {@code times[i]} times (null: once each): a k_vs_all query's positives. */
    double rows(float[] x, float[] g, int rows, int[] times) {
        if (coef == 0) {
            return 0;
        }
        double value = 0;
        for (int i = 0; i < rows; i++) {
            float c = times == null ? coef : coef * times[i];
            int o = i * d;
            if (complexModulus) {
                int h = d / 2;
                for (int k = 0; k < h; k++) {
                    float re = x[o + k];
                    float im = x[o + h + k];
                    float mod = (float) Math.sqrt(re * re + im * im);
                    value += c * mod * mod * mod;
                    g[o + k] += 3 * c * mod * re;
                    g[o + h + k] += 3 * c * mod * im;
                }
            } else {
                for (int k = o; k < o + d; k++) {
                    float a = Math.abs(x[k]);
                    value += c * a * a * a;
                    g[k] += 3 * c * a * x[k];
                }
            }
        }
        return value;
    }

    /** N3 on a relation's parameters, once per positive (as if each triple carried its relation). */
    double params(float[] p, int positives, float[] gOut) {
        if (coef == 0 || !complexModulus || p.length == 0) {
            return 0;
        }
        // Into scratch, not new arrays: this runs for every chunk.
        Arrays.fill(paramGradient, 0f);
        double v = rows(p, paramGradient, 1);
        for (int k = 0; k < p.length; k++) {
            gOut[k] += positives * paramGradient[k];
        }
        return positives * v;
    }
}
