package dev.tessera.model.backend;

import dev.tessera.core.config.BackendName;

/**
 * A backend that lives in a module of its own (ND4J's, with 300 MB of native code), found with
 * {@link java.util.ServiceLoader} so that nothing links it, or loads its library, unless a config selects it.
 * An implementation's constructor must not touch the library: {@link Backends} instantiates every provider on the
 * classpath to read its {@link #name()}.
 */
public interface DenseBackendProvider {
    /** The backend this provider makes. */
    BackendName name();

    /** A new backend; loads the library at the first call. */
    DenseBackend create();
}
