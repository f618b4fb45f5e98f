package dev.tessera.nd4j;

import dev.tessera.core.config.BackendName;
import dev.tessera.model.backend.DenseBackend;
import dev.tessera.model.backend.DenseBackendProvider;

/** Makes {@link Nd4jBackend} for {@code backend: nd4j}; found by {@link java.util.ServiceLoader}. */
public final class Nd4jBackendProvider implements DenseBackendProvider {
    @Override
    public BackendName name() {
        return BackendName.ND4J;
    }

    @Override
    public DenseBackend create() {
        return new Nd4jBackend();
    }
}
