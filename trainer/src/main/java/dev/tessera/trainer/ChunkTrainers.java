package dev.tessera.trainer;

import dev.tessera.model.ModelParameters;
import dev.tessera.model.backend.DenseBackend;

/**
 * One worker's chunk trainers: one against sampled candidates, and, when a relation asks for all_negs, one
 * against every entity of the largest partition such a relation scores.
 */
final class ChunkTrainers {
    private final ChunkTrainer sampled;
    private final ChunkTrainer allNegatives;
    private final boolean[] relationAllNegatives;

    ChunkTrainers(TrainingSettings settings, DenseBackend backend, ModelParameters params, int allNegativesRows) {
        this.sampled = new ChunkTrainer(settings, backend, params);
        boolean any = false;
        for (boolean all : params.allNegatives) {
            any |= all;
        }
        this.allNegatives = any ? ChunkTrainer.allNegatives(settings, backend, params, allNegativesRows) : null;
        this.relationAllNegatives = params.allNegatives;
    }

    /** The trainer of relation {@code rel}'s chunks. */
    ChunkTrainer of(int rel) {
        return relationAllNegatives[rel] ? allNegatives : sampled;
    }

    void step() {
        sampled.step();
        if (allNegatives != null) {
            allNegatives.step();
        }
    }

    void scaleLearningRates(double scale) {
        sampled.scaleLearningRates(scale);
        if (allNegatives != null) {
            allNegatives.scaleLearningRates(scale);
        }
    }

    /** Relation parameters and global embeddings keep their values: only entity rows train. */
    void freezeParameters() {
        sampled.freezeParameters();
        if (allNegatives != null) {
            allNegatives.freezeParameters();
        }
    }
}
