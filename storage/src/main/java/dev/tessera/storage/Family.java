package dev.tessera.storage;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The column families of a graph store, one per kind of data (DESIGN.md §4). */
enum Family {
    META,
    ENTITIES,
    NAMES,
    EDGES,
    DEGREES,
    FEATURES,
    EMBEDDINGS,
    OPTIMIZER,
    PARAMS;

    public String cfName() {
        return name().toLowerCase(Locale.ROOT);
    }

    byte[] cfNameBytes() {
        return cfName().getBytes(StandardCharsets.UTF_8);
    }
}
