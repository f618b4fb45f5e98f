package dev.tessera.gcn;

import dev.tessera.core.util.IntList;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.FeatureRow;
import dev.tessera.storage.FeatureStore;
import dev.tessera.storage.GraphStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Readers for the node-level inputs of node classification: feature rows ({@code node<TAB>feature<TAB>value},
 * COO), labels ({@code node<TAB>class}) and node lists (one per line). Nodes are entity names of the graph.
 * Every problem names the file, the line and the field; nothing is written until a whole file has parsed.
 * Empty lines and lines starting with {@code #} are skipped.
 */
public final class NodeFiles {
    private NodeFiles() {}

    /** Parsed feature rows, one per node that has any, in node order, and the column count. */
    public record Features(int dimension, List<FeatureRow> rows) {}

    /** Labels as class numbers per node ({@code -1}: unlabelled) and the class names by number. */
    public record Labels(int[] classOf, List<String> classNames) {}

    /**
     * Entries are collected as coordinates and grouped by node through {@link CsrMatrix} (a repeated node and
     * feature is summed, as reading it back would sum it anyway), so large files cost primitive arrays, not
     * an object per entry, and feature numbers stay exact ints.
     */
    public static Features features(Path file, GraphStore store, NodeIndex index) {
        IntList nodes = new IntList();
        IntList columns = new IntList();
        FloatList values = new FloatList();
        int[] maxColumn = {-1};
        forEachLine(file, 3, (line, f) -> {
            nodes.add(node(file, line, f[0], store, index));
            int column = integer(file, line, "feature", f[1]);
            columns.add(column);
            values.add(number(file, line, "value", f[2]));
            maxColumn[0] = Math.max(maxColumn[0], column);
        });
        if (maxColumn[0] < 0) {
            throw new IllegalArgumentException(file + ": no feature rows");
        }
        int dimension = maxColumn[0] + 1;
        CsrMatrix byNode = CsrMatrix.fromCoordinates(
                index.size(), dimension, nodes.toArray(), columns.toArray(), values.toArray());
        List<FeatureRow> rows = new ArrayList<>();
        for (int v = 0; v < index.size(); v++) {
            int from = byNode.rowStart(v);
            int to = byNode.rowEnd(v);
            if (from < to) {
                int[] cols = new int[to - from];
                float[] vals = new float[to - from];
                for (int i = from; i < to; i++) {
                    cols[i - from] = byNode.colAt(i);
                    vals[i - from] = byNode.valueAt(i);
                }
                rows.add(new FeatureRow(index.entity(v), cols, vals));
            }
        }
        return new Features(dimension, rows);
    }

    /**
     * Reads {@code file} whole (see {@link #features}) and only then replaces the store's features with it,
     * so a bad line leaves the stored features as they were. Returns what was imported.
     */
    public static FeatureStore.Info importFeatures(Path file, GraphStore store) {
        Features parsed = features(file, store, NodeIndex.of(store.meta()));
        new FeatureStore(store).replace(parsed.dimension(), parsed.rows().iterator(), file.toString());
        return new FeatureStore(store).require();
    }

    /**
     * Class names sort numerically when they are all integers (so Cora's 0..6 keep their numbers), otherwise
     * as text.
     */
    public static Labels labels(Path file, GraphStore store, NodeIndex index) {
        // Classes are numbered by first appearance while reading (one int per node, no per-node objects, so a
        // label file of millions of nodes stays small), then renumbered in sorted order.
        int[] classOf = new int[index.size()];
        java.util.Arrays.fill(classOf, -1);
        Map<String, Integer> seenClasses = new HashMap<>();
        List<String> byFirstSeen = new ArrayList<>();
        forEachLine(file, 2, (line, f) -> {
            int node = node(file, line, f[0], store, index);
            String label = f[1].trim();
            if (label.isEmpty()) {
                throw problem(file, line, "class", "is empty");
            }
            int id = seenClasses.computeIfAbsent(label, k -> {
                byFirstSeen.add(k);
                return byFirstSeen.size() - 1;
            });
            if (classOf[node] >= 0 && classOf[node] != id) {
                throw problem(
                        file,
                        line,
                        "class",
                        "node '" + f[0] + "' was already labelled '" + byFirstSeen.get(classOf[node]) + "' and is now '"
                                + label + "'");
            }
            classOf[node] = id;
        });
        boolean numeric = byFirstSeen.stream().allMatch(c -> c.matches("-?\\d{1,9}"));
        java.util.Comparator<String> order =
                numeric ? java.util.Comparator.comparingInt(Integer::parseInt) : java.util.Comparator.naturalOrder();
        List<String> classNames = byFirstSeen.stream().sorted(order).toList();
        int[] renumber = new int[byFirstSeen.size()];
        for (int i = 0; i < renumber.length; i++) {
            renumber[i] = classNames.indexOf(byFirstSeen.get(i));
        }
        for (int v = 0; v < classOf.length; v++) {
            if (classOf[v] >= 0) {
                classOf[v] = renumber[classOf[v]];
            }
        }
        return new Labels(classOf, classNames);
    }

    /** A node list (a split), each node labelled in {@code labels}. */
    public static int[] nodeList(Path file, GraphStore store, NodeIndex index, Labels labels) {
        IntList nodes = new IntList();
        java.util.BitSet seen = new java.util.BitSet(index.size());
        forEachLine(file, 1, (line, f) -> {
            int node = node(file, line, f[0], store, index);
            if (labels.classOf()[node] < 0) {
                throw problem(file, line, "node", "'" + f[0] + "' has no label");
            }
            if (seen.get(node)) {
                throw problem(file, line, "node", "'" + f[0] + "' is listed twice");
            }
            seen.set(node);
            nodes.add(node);
        });
        if (nodes.size() == 0) {
            throw new IllegalArgumentException(file + ": no nodes listed");
        }
        return nodes.toArray();
    }

    private interface LineConsumer {
        void accept(int line, String[] fields);
    }

    private static void forEachLine(Path file, int fields, LineConsumer consumer) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank() || text.startsWith("#")) {
                    continue;
                }
                String[] f = text.split("\t", -1);
                if (f.length != fields) {
                    throw problem(file, line, null, "expected " + fields + " tab-separated fields, found " + f.length);
                }
                consumer.accept(line, f);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static int node(Path file, int line, String name, GraphStore store, NodeIndex index) {
        EntityRef e = store.entity(name.trim())
                .orElseThrow(
                        () -> problem(file, line, "node", "'" + name + "' is not an entity of graph " + store.dir()));
        return index.node(e);
    }

    private static int integer(Path file, int line, String field, String text) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v < 0) {
                throw problem(file, line, field, "must be a column number ≥ 0, found " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw problem(file, line, field, "'" + text + "' is not a column number");
        }
    }

    private static float number(Path file, int line, String field, String text) {
        try {
            float v = Float.parseFloat(text.trim());
            if (!Float.isFinite(v)) {
                throw problem(file, line, field, "'" + text + "' is not finite");
            }
            return v;
        } catch (NumberFormatException e) {
            throw problem(file, line, field, "'" + text + "' is not a number");
        }
    }

    private static IllegalArgumentException problem(Path file, int line, String field, String what) {
        return new IllegalArgumentException(
                file + ":" + line + (field == null ? "" : ": field '" + field + "'") + ": " + what);
    }
}
