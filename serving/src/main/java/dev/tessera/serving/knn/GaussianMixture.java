package dev.tessera.serving.knn;

import java.util.Random;

/**
 * Generated vectors that cluster as trained embeddings do, for measuring and testing neighbour search at
 * sizes no dataset at hand has: centres drawn N(0, 1) per element, each row a random centre plus
 * N(0, spread²) noise per element.
 */
public final class GaussianMixture {
    private GaussianMixture() {}

    /** {@code n} rows of dimension {@code d} around {@code clusters} centres, row-major. */
    public static float[] sample(Random r, int n, int d, int clusters, double spread) {
        float[] centres = new float[clusters * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) r.nextGaussian();
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(clusters);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[c * d + j] + (float) (spread * r.nextGaussian());
            }
        }
        return x;
    }
}
