package dev.tessera.trainer.train;

import java.util.SplittableRandom;

/**
 * One (entity type, partition) of embeddings in memory: {@code rows × d} floats and one row-wise Adagrad
 * accumulator per row. Hogwild workers update it without locks.
 */
public final class EmbeddingPartition {
    public final int type;
    public final int part;
    public final int rows;
    public final int d;
    public final float[] embeddings;
    public final float[] state;
    /** Degree distribution for degree-weighted negatives; null when none are drawn. */
    public dev.tessera.sampler.AliasTable degrees;

    public EmbeddingPartition(int type, int part, int rows, int d) {
        this.type = type;
        this.part = part;
        this.rows = rows;
        this.d = d;
        this.embeddings = new float[rows * d];
        this.state = new float[rows];
    }

    /** Gaussian rows of standard deviation {@code scale}, as PBG initialises, from a seed per partition. */
    public void initialize(double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ ((long) type << 40) ^ ((long) part << 20));
        for (int i = 0; i < embeddings.length; i++) {
            embeddings[i] = (float) (gaussian(r) * scale);
        }
    }

    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
