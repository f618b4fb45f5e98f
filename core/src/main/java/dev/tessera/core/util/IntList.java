package dev.tessera.core.util;

import java.util.Arrays;

/** A growable int array: boxing millions of node numbers or feature entries into lists would cost gigabytes. */
public final class IntList {
    private int[] a = new int[1024];
    private int n;

    public void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    public void addAll(int[] values) {
        if (n + values.length > a.length) {
            a = Arrays.copyOf(a, Math.max(a.length * 2, n + values.length));
        }
        System.arraycopy(values, 0, a, n, values.length);
        n += values.length;
    }

    public int get(int i) {
        return a[i];
    }

    public int size() {
        return n;
    }

    public int[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
