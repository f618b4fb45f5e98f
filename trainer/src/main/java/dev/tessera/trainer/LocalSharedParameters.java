package dev.tessera.trainer;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;

/** Shared parameters of a single-machine run: this process's arrays, stored with each checkpoint. */
public final class LocalSharedParameters implements SharedParameters {
    private final ModelParameters model;
    private final FeatureTables featureTables;
    private final CheckpointStore checkpoints;
    private final TrainingSettings settings;

    public LocalSharedParameters(
            TesseraConfig config, TrainingSettings settings, GraphStore graph, CheckpointStore checkpoints) {
        this.model = new ModelParameters(config, settings.dimension());
        this.featureTables = FeatureTables.of(config, graph, settings.dimension());
        this.checkpoints = checkpoints;
        this.settings = settings;
    }

    @Override
    public ModelParameters model() {
        return model;
    }

    @Override
    public FeatureTables featureTables() {
        return featureTables;
    }

    @Override
    public void start(int version) {
        if (version > 0) {
            model.read(checkpoints, version, true);
            featureTables.read(checkpoints, version);
        } else {
            featureTables.initialize(settings.initScale(), settings.seed());
        }
    }

    @Override
    public void sync() {
        // The workers update these arrays in place: nothing to exchange.
    }

    @Override
    public void write(int version) {
        model.write(checkpoints, version);
        featureTables.write(checkpoints, version);
    }
}
