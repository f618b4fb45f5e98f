package dev.tessera.partitioner;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which input column holds src, rel, dst and weight. A missing rel column means every edge has the one
 * implicit relation (plain {@code src dst} edge lists); a missing weight column means weight 1.
 */
public record ColumnLayout(int columns, int src, int rel, int dst, int weight) implements Serializable {
    public static final List<String> FIELDS = List.of("src", "rel", "dst", "weight");

    public boolean hasRelation() {
        return rel >= 0;
    }

    public boolean hasWeight() {
        return weight >= 0;
    }

    /** The usual layouts by column count: 2 = src dst, 3 = src rel dst, 4 = src rel dst weight. */
    public static ColumnLayout byCount(int columns, String where) {
        return switch (columns) {
            case 2 -> new ColumnLayout(2, 0, -1, 1, -1);
            case 3 -> new ColumnLayout(3, 0, 1, 2, -1);
            case 4 -> new ColumnLayout(4, 0, 1, 2, 3);
            default ->
                throw new IllegalArgumentException(where + ": " + columns
                        + " columns; expected 2 (src dst), 3 (src rel dst) or 4 (src rel dst weight), or name them "
                        + "with --columns");
        };
    }

    /**
     * A layout from a header row: the mapping {@code field=column} names which header column is which field;
     * fields the mapping leaves out are found by their own names (src, rel, dst, weight).
     */
    public static ColumnLayout fromHeader(List<String> header, Map<String, String> mapping, String where) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.put(header.get(i).trim(), i);
        }
        int[] cols = new int[4];
        for (int f = 0; f < 4; f++) {
            String field = FIELDS.get(f);
            String column = mapping.getOrDefault(field, field);
            Integer i = index.get(column);
            if (i == null && (mapping.containsKey(field) || f == 0 || f == 2)) {
                throw new IllegalArgumentException(
                        where + ": no column '" + column + "' for field '" + field + "' in the header " + header);
            }
            cols[f] = i == null ? -1 : i;
        }
        return new ColumnLayout(header.size(), cols[0], cols[1], cols[2], cols[3]);
    }

    /** A layout from {@code --columns src=0,rel=1,dst=2[,weight=3]} with 0-based indices (headerless input). */
    public static ColumnLayout fromIndices(Map<String, String> mapping, int columns, String where) {
        int[] cols = {-1, -1, -1, -1};
        for (Map.Entry<String, String> e : mapping.entrySet()) {
            int f = FIELDS.indexOf(e.getKey());
            if (f < 0) {
                throw new IllegalArgumentException(
                        where + ": --columns: unknown field '" + e.getKey() + "'; expected one of " + FIELDS);
            }
            try {
                cols[f] = Integer.parseInt(e.getValue());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(where + ": --columns " + e.getKey() + "=" + e.getValue()
                        + " must be a 0-based column index for a file without a header");
            }
            if (cols[f] < 0 || cols[f] >= columns) {
                throw new IllegalArgumentException(where + ": --columns " + e.getKey() + "=" + cols[f]
                        + " is outside the file's " + columns + " columns");
            }
        }
        if (cols[0] < 0 || cols[2] < 0) {
            throw new IllegalArgumentException(where + ": --columns must name src and dst");
        }
        return new ColumnLayout(columns, cols[0], cols[1], cols[2], cols[3]);
    }

    /** Parses {@code field=column,...}; rejects fields other than src, rel, dst and weight. */
    public static Map<String, String> parseMapping(String spec) {
        Map<String, String> m = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return m;
        }
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            String field = kv[0].trim().toLowerCase(Locale.ROOT);
            if (kv.length != 2 || !FIELDS.contains(field)) {
                throw new IllegalArgumentException(
                        "--columns '" + part + "': expected field=column with field one of " + FIELDS);
            }
            m.put(field, kv[1].trim());
        }
        return m;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        int[] cols = {src, rel, dst, weight};
        for (int f = 0; f < 4; f++) {
            if (cols[f] >= 0) {
                parts.add(FIELDS.get(f) + "=" + cols[f]);
            }
        }
        return String.join(",", parts) + " of " + columns;
    }
}
