package dev.tessera.model.backend;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.BackendName;
import org.junit.jupiter.api.Test;

class BackendsTest {
    @Test
    void namesMakeTheirBackends() {
        assertInstanceOf(JavaBackend.class, Backends.create(BackendName.JAVA));
        assertInstanceOf(OpenBlasBackend.class, Backends.create(BackendName.OPENBLAS));
    }

    /** This module's classpath has no tessera-nd4j: selecting ND4J says which module to add. */
    @Test
    void nd4jWithoutItsModuleNamesTheModule() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Backends.create(BackendName.ND4J));
        assertTrue(e.getMessage().contains("tessera-nd4j"), e.getMessage());
    }
}
