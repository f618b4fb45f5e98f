package dev.tessera.trainer;

import dev.tessera.core.config.BucketOrderName;
import dev.tessera.core.config.ComparatorName;
import dev.tessera.core.config.LossName;
import dev.tessera.core.config.OptimizerStepName;
import dev.tessera.core.config.TesseraConfig;

/**
 * The config values the training loop reads, in the form it reads them: a chunk of at least one edge, the
 * optimizer step as a flag, no clipping as a max norm of 0. The config resolves the defaults (relation_lr, workers).
 */
public record TrainingSettings(
        int dimension,
        ComparatorName comparator,
        boolean bias,
        LossName loss,
        double margin,
        int chunkSize,
        int uniformNegatives,
        int degreeNegatives,
        double degreeExponent,
        double lr,
        double relationLr,
        boolean stepPerBatch,
        double initScale,
        double maxNorm,
        double regularization,
        int workers,
        int batchSize,
        long seed,
        int epochs,
        BucketOrderName bucketOrder,
        int bufferPartitions,
        double evalFraction) {

    public static TesseraConfig check(TesseraConfig c) {
        if (c.bias() && c.dimension() < 2) {
            throw new IllegalArgumentException("bias: the first element of each embedding is its bias, so the "
                    + "dimension must be at least 2, got " + c.dimension());
        }
        return c;
    }

    public static TrainingSettings of(TesseraConfig c) {
        check(c);
        return new TrainingSettings(
                c.dimension(),
                c.comparator(),
                c.bias(),
                c.loss(),
                c.margin(),
                Math.max(1, c.numBatchNegs()),
                c.numUniformNegs(),
                c.numDegreeNegs(),
                c.degreeNegsExponent(),
                c.lr(),
                c.relationLr(),
                c.optimizerStep() == OptimizerStepName.BATCH,
                c.initScale(),
                c.maxNorm().orElse(0),
                c.regularizationCoef(),
                c.workers(),
                c.batchSize(),
                c.seed(),
                c.numEpochs(),
                c.bucketOrder(),
                c.partitionBuffer(),
                c.evalFraction());
    }
}
