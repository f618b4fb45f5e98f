package dev.tessera.trainer;

import dev.tessera.model.ModelParameters;

/**
 * The parameters every bucket trains, whatever its partitions: relation operators, global embeddings and
 * the featurized types' feature tables. The third of the training loop's seams: on one machine they live in
 * this process ({@link LocalSharedParameters}); across machines a parameter server merges the trainers'
 * updates.
 */
public interface SharedParameters {
    /** The relation parameters and global embeddings the workers train in place. */
    ModelParameters model();

    /** The featurized types' feature tables. */
    FeatureTables featureTables();

    /** Reads them from checkpoint data version {@code version}, or initialises them when it is 0. */
    void start(int version);

    /** After each bucket: exchange updates with the other trainers, if there are any. */
    void sync();

    /** Writes them into checkpoint data version {@code version}. */
    void write(int version);
}
