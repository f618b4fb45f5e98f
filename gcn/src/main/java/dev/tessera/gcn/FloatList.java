package dev.tessera.gcn;

import java.util.Arrays;

/** A growable float array (see {@link dev.tessera.core.util.IntList}). */
final class FloatList {
    private float[] a = new float[1024];
    private int n;

    void add(float v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    float[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
