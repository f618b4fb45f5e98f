package dev.tessera.partitioner;

import java.io.Serializable;

/**
 * Turns one input row into an edge or a rejection with its reason. Text rows are split on the format's
 * delimiter (CSV honours double quotes within one line); Parquet rows arrive as fields.
 */
public final class EdgeRowParser implements Serializable {
    private static final long serialVersionUID = 1L;
    private final InputFormat format;
    private final ColumnLayout layout;
    private final RelationCatalog relations;

    public EdgeRowParser(InputFormat format, ColumnLayout layout, RelationCatalog relations) {
        this.format = format;
        this.layout = layout;
        this.relations = relations;
        if (!layout.hasRelation() && relations.implicitRelation() == null) {
            throw new IllegalArgumentException("the input has no relation column, so the config must declare "
                    + "exactly one relation (or none, with discover_relations: true); it declares: "
                    + relations.declaredNames());
        }
    }

    public void parseLine(String line, ParsedEdge out) {
        parseFields(format == InputFormat.CSV ? Delimited.splitCsv(line) : Delimited.splitTabs(line), out);
    }

    public void parseFields(String[] f, ParsedEdge out) {
        out.bad = null;
        out.detail = null;
        if (f.length != layout.columns()) {
            out.reject(BadRowReason.WRONG_COLUMN_COUNT, f.length + " columns, expected " + layout.columns());
            return;
        }
        out.src = f[layout.src()] == null ? "" : f[layout.src()].trim();
        out.dst = f[layout.dst()] == null ? "" : f[layout.dst()].trim();
        out.rel = layout.hasRelation()
                ? (f[layout.rel()] == null ? "" : f[layout.rel()].trim())
                : relations.implicitRelation();
        if (out.src.isEmpty() || out.dst.isEmpty()) {
            out.reject(BadRowReason.EMPTY_ID, "empty " + (out.src.isEmpty() ? "src" : "dst") + " id");
            return;
        }
        if (out.rel.isEmpty()) {
            out.reject(BadRowReason.UNKNOWN_RELATION, "empty relation");
            return;
        }
        int[] types = relations.types(out.rel);
        if (types == null) {
            out.reject(
                    BadRowReason.UNKNOWN_RELATION,
                    "relation '" + out.rel + "' is not declared (declared: " + relations.declaredNames() + ")");
            return;
        }
        out.srcType = types[0];
        out.dstType = types[1];
        out.weight = 1f;
        if (layout.hasWeight()) {
            String w = f[layout.weight()] == null ? "" : f[layout.weight()].trim();
            float v;
            try {
                v = Float.parseFloat(w);
            } catch (NumberFormatException e) {
                v = Float.NaN;
            }
            if (!Float.isFinite(v)) {
                out.reject(BadRowReason.BAD_WEIGHT, "weight '" + w + "' is not a finite number");
                return;
            }
            out.weight = v;
        }
    }
}
