package dev.tessera.trainer.gcn;

import java.util.Arrays;

/** A growable int array: boxing millions of node numbers or feature entries into lists would cost gigabytes. */
final class IntList {
    private int[] a = new int[1024];
    private int n;

    void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    int size() {
        return n;
    }

    int[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
