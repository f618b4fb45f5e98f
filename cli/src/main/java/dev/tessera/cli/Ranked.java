package dev.tessera.cli;

import dev.tessera.core.util.Json;
import dev.tessera.serving.EmbeddingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a ranked list of entities: one JSON object ({@code query}, {@code metric}, {@code results}) or lines. */
final class Ranked {
    private Ranked() {}

    static void print(String query, String metric, List<EmbeddingModel.Scored> results, boolean json) {
        if (json) {
            List<Object> rows = new ArrayList<>();
            for (EmbeddingModel.Scored s : results) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("entity", s.entity());
                row.put("score", s.score());
                rows.add(row);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("query", query);
            out.put("metric", metric);
            out.put("results", rows);
            System.out.println(Json.write(out));
        } else {
            System.out.println(query + "  (" + metric + ")");
            for (EmbeddingModel.Scored s : results) {
                System.out.printf(Locale.ROOT, "  %10.4f  %s%n", s.score(), s.entity());
            }
        }
    }
}
