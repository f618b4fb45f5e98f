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
        if (coef == 0) {
            return 0;
        }
        double value = 0;
        if (complexModulus) {
            int h = d / 2;
            for (int i = 0; i < rows; i++) {
                int o = i * d;
                for (int k = 0; k < h; k++) {
                    float re = x[o + k];
                    float im = x[o + h + k];
                    float mod = (float) Math.sqrt(re * re + im * im);
                    value += coef * mod * mod * mod;
                    g[o + k] += 3 * coef * mod * re;
                    g[o + h + k] += 3 * coef * mod * im;
                }
            }
        } else {
            for (int i = 0; i < rows * d; i++) {
                float a = Math.abs(x[i]);
                value += coef * a * a * a;
                g[i] += 3 * coef * a * x[i];
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
