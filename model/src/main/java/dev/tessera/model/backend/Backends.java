package dev.tessera.model.backend;

import dev.tessera.core.config.BackendName;
import java.util.ServiceLoader;

/** The {@link DenseBackend} a config's {@code backend} names. */
public final class Backends {
    private Backends() {}

    /**
     * A backend of that name: OpenBLAS (or plain Java where its native library does not load, with a warning),
     * plain Java, or one from a {@link DenseBackendProvider} on the classpath (ND4J); a backend whose module is
     * missing is refused with the module to add.
     */
    public static DenseBackend create(BackendName name) {
        return switch (name) {
            case OPENBLAS -> OpenBlasBackend.bestAvailable();
            case JAVA -> new JavaBackend();
            case ND4J ->
                ServiceLoader.load(DenseBackendProvider.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(p -> p.name() == name)
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("backend '" + name
                                + "' needs the tessera-nd4j module on the classpath (bin/tessera has it; "
                                + "a Java application adds the Maven dependency dev.tessera:tessera-nd4j)"))
                        .create();
        };
    }
}
