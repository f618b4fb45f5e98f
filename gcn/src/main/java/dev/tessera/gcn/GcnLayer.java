package dev.tessera.gcn;

import dev.tessera.model.backend.DenseBackend;
import java.util.SplittableRandom;

/**
 * One graph convolution {@code H' = σ(S · dropout(H) · W + b)}. {@code S} is the propagation matrix: the
 * whole graph's {@code Â} for full-batch training, or a sampled block (destination nodes × source nodes)
 * for mini-batches, so one layer serves both. The two products are done in the cheaper order: {@code
 * S·(H·W)} when the layer narrows (or H is sparse), {@code (S·H)·W} when it widens.
 */
public final class GcnLayer {
    private final int inDim;
    private final int outDim;
    private final boolean relu;
    private final double dropout;
    final Parameter weight;
    final Parameter bias;

    /** Glorot-uniform weights (as Kipf &amp; Welling), zero bias. */
    public GcnLayer(int inDim, int outDim, boolean relu, double dropout, SplittableRandom random) {
        this.inDim = inDim;
        this.outDim = outDim;
        this.relu = relu;
        this.dropout = dropout;
        this.weight = new Parameter("weight", inDim * outDim);
        this.bias = new Parameter("bias", outDim);
        double limit = Math.sqrt(6.0 / (inDim + outDim));
        for (int i = 0; i < weight.values.length; i++) {
            weight.values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
    }

    public int inDim() {
        return inDim;
    }

    public int outDim() {
        return outDim;
    }

    /** What backward needs from one forward pass. */
    public record Activations(
            CsrMatrix propagation,
            NodeMatrix input,
            float[] dropoutMask,
            boolean propagateFirst,
            float[] propagated,
            float[] output) {}

    /**
     * The forward pass; {@code random} is null for inference (no dropout). The output has {@code
     * propagation.rows()} rows.
     */
    public Activations forward(CsrMatrix s, NodeMatrix h, SplittableRandom random, DenseBackend backend) {
        if (h.cols() != inDim || s.cols() != h.rows()) {
            throw new IllegalArgumentException("layer " + inDim + "→" + outDim + " got a " + h.rows() + "×" + h.cols()
                    + " input and a " + s.rows() + "×" + s.cols() + " propagation matrix");
        }
        NodeMatrix in = h;
        float[] mask = null;
        if (random != null && dropout > 0) {
            // Only a dense input's gradient is ever needed, so only a dense input's mask is kept.
            mask = h instanceof NodeMatrix.Dense d ? new float[d.values().length] : null;
            in = h.dropout(dropout, random, mask);
        }
        boolean propagateFirst = propagateFirst(s, in);
        float[] out = new float[s.rows() * outDim];
        float[] propagated;
        if (propagateFirst) {
            NodeMatrix.Dense dense = (NodeMatrix.Dense) in;
            propagated = new float[s.rows() * inDim];
            s.multiply(dense.values(), inDim, propagated);
            backend.ab(propagated, weight.values, out, s.rows(), inDim, outDim, false);
        } else {
            propagated = in.times(weight.values, outDim, backend);
            s.multiply(propagated, outDim, out);
        }
        for (int r = 0; r < s.rows(); r++) {
            int o = r * outDim;
            for (int j = 0; j < outDim; j++) {
                float z = out[o + j] + bias.values[j];
                out[o + j] = relu && z < 0 ? 0f : z;
            }
        }
        return new Activations(s, in, mask, propagateFirst, propagated, out);
    }

    /** S·H first only when it is cheaper: H dense and the product with W widens the rows. */
    private boolean propagateFirst(CsrMatrix s, NodeMatrix h) {
        if (!(h instanceof NodeMatrix.Dense)) {
            return false;
        }
        double weightFirst = (double) h.rows() * inDim * outDim + (double) s.nonZeros() * outDim;
        double propagationFirst = (double) s.nonZeros() * inDim + (double) s.rows() * inDim * outDim;
        return propagationFirst < weightFirst;
    }

    /**
     * Accumulates the parameter gradients into {@code weight.gradient} and {@code bias.gradient}, and returns
     * the gradient with respect to the layer's input (before dropout), or null when {@code needInput} is false
     * (the first layer: features need no gradient).
     */
    public float[] backward(Activations a, float[] dOut, boolean needInput, DenseBackend backend) {
        CsrMatrix s = a.propagation();
        int rows = s.rows();
        float[] dz = new float[rows * outDim];
        for (int i = 0; i < dz.length; i++) {
            dz[i] = relu && a.output()[i] <= 0f ? 0f : dOut[i];
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < outDim; j++) {
                bias.gradient[j] += dz[r * outDim + j];
            }
        }
        NodeMatrix in = a.input();
        float[] dIn = null;
        if (a.propagateFirst()) {
            // Z = Q·W with Q = S·H: dW = Qᵀ·dZ, dQ = dZ·Wᵀ, dH = Sᵀ·dQ
            backend.aTb(a.propagated(), dz, weight.gradient, rows, inDim, outDim, true);
            if (needInput) {
                float[] dq = new float[rows * inDim];
                backend.abT(dz, weight.values, dq, rows, inDim, outDim, false);
                dIn = new float[in.rows() * inDim];
                s.transposeMultiply(dq, inDim, dIn);
            }
        } else {
            // Z = S·P with P = H·W: dP = Sᵀ·dZ, dW = Hᵀ·dP, dH = dP·Wᵀ
            float[] dp = new float[in.rows() * outDim];
            s.transposeMultiply(dz, outDim, dp);
            float[] dw = in.transposeTimes(dp, outDim, backend);
            for (int i = 0; i < dw.length; i++) {
                weight.gradient[i] += dw[i];
            }
            if (needInput) {
                dIn = new float[in.rows() * inDim];
                backend.abT(dp, weight.values, dIn, in.rows(), inDim, outDim, false);
            }
        }
        float[] mask = a.dropoutMask();
        if (dIn != null && mask != null) {
            for (int i = 0; i < dIn.length; i++) {
                dIn[i] *= mask[i];
            }
        }
        return dIn;
    }
}
