package dev.tessera.sampler;

/**
 * Read access to each node's neighbour list, wherever it lives (arrays in memory, a file read on demand).
 * Implementations must allow concurrent readers.
 */
public interface Neighbourhood {
    int nodes();

    int degree(int node);

    /** Copies neighbours {@code from .. from+count-1} of {@code node} into {@code out[0..count)}. */
    void neighbours(int node, int from, int count, int[] out);

    /** Neighbour lists held in CSR arrays. */
    static Neighbourhood of(long[] rowStart, int[] neighbours) {
        return new Neighbourhood() {
            @Override
            public int nodes() {
                return rowStart.length - 1;
            }

            @Override
            public int degree(int node) {
                return (int) (rowStart[node + 1] - rowStart[node]);
            }

            @Override
            public void neighbours(int node, int from, int count, int[] out) {
                System.arraycopy(neighbours, (int) rowStart[node] + from, out, 0, count);
            }
        };
    }
}
