package dev.tessera.serving;

import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entities by name for the serving paths: the names of a type in a model's row order (partition, then offset),
 * read from the graph's dictionary, and the entity of a name.
 */
public final class EntityNames {
    private EntityNames() {}

    /** The entity named {@code name}; refused naming it when the graph has none. */
    public static EntityRef lookup(GraphStore graph, String name) {
        return graph.entity(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown entity '" + name + "': the graph has no entity of that name"));
    }

    /** Every name of {@code type}; {@code rows} is the model's row count, which the dictionary must match. */
    public static List<String> inRowOrder(GraphStore graph, int type, int rows) {
        List<String> names = new ArrayList<>(rows);
        for (int p = 0; p < graph.meta().numPartitions(); p++) {
            graph.forEachName(type, p, (name, offset) -> names.add(name));
        }
        if (names.size() != rows) {
            throw new IllegalStateException(
                    "type " + type + " has " + rows + " embeddings but " + names.size() + " stored names");
        }
        return names;
    }

    /** The names of partition {@code part} of {@code type} by offset, which must be exactly {@code rows}. */
    public static String[] ofPartition(GraphStore graph, int type, int part, int rows) {
        String[] names = new String[rows];
        int[] seen = {0};
        graph.forEachName(type, part, (name, offset) -> {
            if (offset >= rows) {
                throw new IllegalStateException("type " + type + ", partition " + part + " has " + rows
                        + " embeddings but a stored name at offset " + offset);
            }
            names[offset] = name;
            seen[0]++;
        });
        if (seen[0] != rows || Arrays.asList(names).contains(null)) {
            throw new IllegalStateException("type " + type + ", partition " + part + " has " + rows + " embeddings but "
                    + seen[0] + " stored names");
        }
        return names;
    }
}
