package dev.tessera.trainer;

import dev.tessera.core.config.TesseraConfig;

/** The config values the training loop reads, resolved once (defaults applied, workers sized to the machine). */
public record TrainingSettings(int dimension, String comparator, boolean bias, String loss, double margin, int chunkSize,
                               int uniformNegatives, int degreeNegatives, double degreeExponent, double lr, double relationLr,
                               boolean stepPerBatch, double initScale,
                               double maxNorm, double regularization, int workers,
                               int batchSize, long seed, int epochs, String bucketOrder, int bufferPartitions,
                               double evalFraction) {

    public static TesseraConfig check(TesseraConfig c) {
        if (c.getBool("bias") && c.dimension() < 2) {
            throw new IllegalArgumentException("bias: the first element of each embedding is its bias, so the "
                    + "dimension must be at least 2, got " + c.dimension());
        }
        return c;
    }

    public static TrainingSettings of(TesseraConfig c) {
        check(c);
        Object workers = c.get("workers");
        Object relationLr = c.get("relation_lr");
        Object maxNorm = c.get("max_norm");
        return new TrainingSettings(c.dimension(), c.getString("comparator"), c.getBool("bias"), c.getString("loss_fn"),
                c.getDouble("margin"), Math.max(1, c.getInt("num_batch_negs")), c.getInt("num_uniform_negs"),
                c.getInt("num_degree_negs"), c.getDouble("degree_negs_exponent"), c.getDouble("lr"), relationLr == null ? c.getDouble("lr") : ((Number) relationLr).doubleValue(),
                c.getString("optimizer_step").equals("batch"), c.getDouble("init_scale"),
                maxNorm == null ? 0 : ((Number) maxNorm).doubleValue(), c.getDouble("regularization_coef"),
                workers == null ? Runtime.getRuntime().availableProcessors() : ((Number) workers).intValue(),
                c.getInt("batch_size"), c.getInt("seed"), c.getInt("num_epochs"), c.getString("bucket_order"),
                c.getInt("partition_buffer"), c.getDouble("eval_fraction"));
    }
}
