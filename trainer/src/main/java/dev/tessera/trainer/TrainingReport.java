package dev.tessera.trainer;

import dev.tessera.storage.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code report.html} in the checkpoint directory: one self-contained page (inline SVG, no scripts, no
 * network) with a chart per recorded metric (loss, edges/s, and any evaluation) over the epochs, and the
 * numbers in a table. Rewritten after every epoch, through a temporary file and a rename.
 */
public final class TrainingReport implements TrainingListener {
    private static final int W = 560;
    private static final int H = 220;
    private static final int PAD = 44;

    private final Path dir;

    /** A report in checkpoint directory {@code dir}, rewritten at every commit. */
    public TrainingReport(Path dir) {
        this.dir = dir;
    }

    @Override
    public void onCheckpoint(Checkpoint checkpoint) {
        write(dir, "Tessera training: " + dir.getFileName(), checkpoint.history());
    }

    public static void write(Path dir, String title, List<Map<String, Object>> history) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title><style>body{font-family:sans-serif;margin:24px;color:#222}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "svg{background:#fafafa;border:1px solid #ddd;margin:8px 16px 8px 0}</style></head><body>")
                .append("<h1>")
                .append(escape(title))
                .append("</h1>");
        if (!history.isEmpty()) {
            // Every key of any epoch: validations (valid_mrr, lr) are recorded only every few epochs.
            Set<String> keys = new LinkedHashSet<>();
            history.forEach(row -> keys.addAll(row.keySet()));
            for (String key : keys) {
                if (!key.equals("epoch") && !key.equals("seconds")) {
                    html.append(chart(key, history));
                }
            }
            html.append("<table><tr>");
            keys.forEach(k -> html.append("<th>").append(escape(k)).append("</th>"));
            html.append("</tr>");
            for (Map<String, Object> row : history) {
                html.append("<tr>");
                keys.forEach(k -> html.append("<td>")
                        .append(row.containsKey(k) ? format(row.get(k)) : "")
                        .append("</td>"));
                html.append("</tr>");
            }
            html.append("</table>");
        }
        html.append("</body></html>\n");
        try {
            Path tmp = dir.resolve("report.html.tmp");
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    dir.resolve("report.html"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training report in " + dir, e);
        }
    }

    /** A line chart of one metric against the epoch, with its range labelled. */
    static String chart(String key, List<Map<String, Object>> history) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (Map<String, Object> row : history) {
            if (row.get(key) instanceof Number v) {
                min = Math.min(min, v.doubleValue());
                max = Math.max(max, v.doubleValue());
                n++;
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", W, H, W, H));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">%s</text>", PAD, escape(key)));
        if (n == 0) {
            return svg.append("</svg>").toString();
        }
        double span = max > min ? max - min : 1;
        StringBuilder points = new StringBuilder();
        int i = 0;
        for (Map<String, Object> row : history) {
            if (row.get(key) instanceof Number v) {
                double x = PAD + (n == 1 ? 0 : (W - 2.0 * PAD) * i / (n - 1));
                double y = H - PAD - (H - 2.0 * PAD) * (v.doubleValue() - min) / span;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(
                        Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#1f6fb4\"/>", x, y));
                i++;
            }
        }
        svg.append("<polyline fill=\"none\" stroke=\"#1f6fb4\" stroke-width=\"2\" points=\"")
                .append(points)
                .append("\"/>");
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
                PAD,
                H - PAD,
                W - PAD,
                H - PAD));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%s</text>", PAD, format(max)));
        svg.append(
                String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%s</text>", H - PAD, format(min)));
        svg.append(String.format(
                Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">epoch 1</text>", PAD, H - PAD + 16));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">epoch %d</text>",
                W - PAD,
                H - PAD + 16,
                n));
        return svg.append("</svg>").toString();
    }

    private static String format(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.4f", d);
        }
        return escape(String.valueOf(v));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
