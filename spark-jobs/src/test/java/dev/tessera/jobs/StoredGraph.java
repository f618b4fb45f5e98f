package dev.tessera.jobs;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads a graph directory back into plain triples, through the dictionary, to compare with the input. */
public final class StoredGraph {
    private StoredGraph() {}

    /** Every stored edge of a split as "src\trel\tdst", sorted; checks each edge's bucket against its ends. */
    public static List<String> triples(Path graph, Split split) {
        List<String> out = new ArrayList<>();
        try (GraphStore store = GraphStore.openReadOnly(graph)) {
            GraphMeta meta = store.meta();
            TesseraConfig schema = meta.schema();
            int p = meta.numPartitions();
            for (int l = 0; l < p; l++) {
                for (int r = 0; r < p; r++) {
                    long count = 0;
                    try (EdgeBlockCursor c = store.edges(split, l, r)) {
                        while (c.hasNext()) {
                            EdgeBlock b = c.next();
                            for (int i = 0; i < b.size(); i++) {
                                String rel = schema.relations().get(b.rel()[i]).name();
                                int lt = schema.entityTypeId(
                                        schema.relations().get(b.rel()[i]).lhs());
                                int rt = schema.entityTypeId(
                                        schema.relations().get(b.rel()[i]).rhs());
                                String src = store.entityName(lt, l, b.lhs()[i]);
                                String dst = store.entityName(rt, r, b.rhs()[i]);
                                check(store.entity(src).orElseThrow(), lt, l, b.lhs()[i], src);
                                check(store.entity(dst).orElseThrow(), rt, r, b.rhs()[i], dst);
                                out.add(src + "\t" + rel + "\t" + dst
                                        + (b.hasWeights() && b.weights()[i] != 1f ? "\t" + b.weights()[i] : ""));
                            }
                            count += b.size();
                        }
                    }
                    if (count != meta.edgeCount(split, l, r)) {
                        throw new AssertionError("bucket (" + l + "," + r + ") holds " + count + " edges, meta says "
                                + meta.edgeCount(split, l, r));
                    }
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    private static void check(EntityRef ref, int type, int part, int offset, String name) {
        if (ref.type() != type || ref.part() != part || ref.offset() != offset) {
            throw new AssertionError("dictionary disagrees for '" + name + "': " + ref + " vs bucket says type " + type
                    + " part " + part + " offset " + offset);
        }
    }

    /** The lines of a TSV file as "src\trel\tdst", sorted: the independent side of the comparison. */
    public static List<String> fileTriples(Path file) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            lines.removeIf(String::isBlank);
            Collections.sort(lines);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
