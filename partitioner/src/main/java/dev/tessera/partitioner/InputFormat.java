package dev.tessera.partitioner;

import java.util.Locale;

/** The edge file formats an import reads. */
public enum InputFormat {
    TSV,
    CSV,
    PARQUET;

    public static InputFormat parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown input format '" + s + "'; expected tsv, csv or parquet");
        }
    }

    /** The format a file name suggests, TSV when it suggests none. */
    public static InputFormat guess(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".csv") || p.endsWith(".csv.gz")) {
            return CSV;
        }
        if (p.endsWith(".parquet") || p.endsWith(".pq")) {
            return PARQUET;
        }
        return TSV;
    }
}
