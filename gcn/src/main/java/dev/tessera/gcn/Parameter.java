package dev.tessera.gcn;

import java.util.Arrays;

/** A trainable array with its gradient, which backward passes add into and {@link Adam} consumes. */
public final class Parameter {
    final String name;
    final float[] values;
    final float[] gradient;

    Parameter(String name, int size) {
        this.name = name;
        this.values = new float[size];
        this.gradient = new float[size];
    }

    public String name() {
        return name;
    }

    public float[] values() {
        return values;
    }

    public float[] gradient() {
        return gradient;
    }

    void zeroGradient() {
        Arrays.fill(gradient, 0f);
    }
}
