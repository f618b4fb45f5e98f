package dev.tessera.storage;

/**
 * The kinds of stored values, each with its own current format version. A reader accepts versions up to
 * the current one and refuses newer ones by name, so an old binary never misreads a newer store.
 */
public enum ValueKind {
    META_JSON(1, 1),
    EDGE_BLOCK(2, 1),
    ENTITY_REF(3, 1),
    ENTITY_NAME(4, 1),
    DEGREES(5, 1),
    FLOAT_BLOCK(6, 1),
    FEATURE_ROW(7, 1),
    /** A whole file, not a value in RocksDB: a graph's neighbour lists ({@link AdjacencyFileWriter}). */
    ADJACENCY_FILE(8, 1),
    /** A whole file: an approximate-search graph saved beside a checkpoint ({@link HnswGraphFile}). */
    HNSW_GRAPH_FILE(9, 1);

    final byte id;
    final short version;

    ValueKind(int id, int version) {
        this.id = (byte) id;
        this.version = (short) version;
    }

    static ValueKind byId(byte id) {
        for (ValueKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        return null;
    }
}
