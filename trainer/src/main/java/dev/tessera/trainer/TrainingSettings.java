package dev.tessera.trainer;

import dev.tessera.core.config.BucketOrderName;
import dev.tessera.core.config.ComparatorName;
import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.core.config.LossName;
import dev.tessera.core.config.OptimizerStepName;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.config.TrainingModeName;
import dev.tessera.core.config.ValidationSettings;

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
        double adversarialTemperature,
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
        double evalFraction,
        boolean oneVsAll,
        boolean groupQueries,
        double dropout,
        boolean subsamplingWeights,
        ValidationSettings validation) {

    public static TesseraConfig check(TesseraConfig c) {
        if (c.bias() && c.dimension() < 2) {
            throw new IllegalArgumentException("bias: the first element of each embedding is its bias, so the "
                    + "dimension must be at least 2, got " + c.dimension());
        }
        if (c.trainingMode() != TrainingModeName.CHUNKED) {
            if (!c.dynamicRelations()) {
                throw new IllegalArgumentException("training_mode: " + c.trainingMode() + " needs dynamic_relations: "
                        + "true (each side is then one product of the positives' queries against every entity as it "
                        + "is; without reciprocal relations the tail side would transform every entity once per "
                        + "relation)");
            }
            for (EntityTypeConfig type : c.entities()) {
                if (type.featurized()) {
                    throw new IllegalArgumentException("training_mode: " + c.trainingMode() + " cannot score "
                            + "featurized entity type '" + type.name() + "' (its embeddings are computed from "
                            + "features, not stored rows)");
                }
            }
        } else if (c.dropout() > 0) {
            throw new IllegalArgumentException(
                    "dropout applies to training_mode: 1_vs_all or k_vs_all only, but training_mode is "
                            + c.trainingMode());
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
                c.adversarialTemperature(),
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
                c.evalFraction(),
                c.trainingMode() != TrainingModeName.CHUNKED,
                c.trainingMode() == TrainingModeName.K_VS_ALL,
                c.dropout(),
                c.subsamplingWeights(),
                c.validation());
    }
}
