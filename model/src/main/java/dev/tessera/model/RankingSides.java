package dev.tessera.model;

/**
 * How a trained model ranks one relation, as rows ready for the comparator. Heads: the query
 * {@code prepared(op(t))} against {@code prepared(h')} for every candidate h'. Tails: {@code prepared(h)}
 * against {@code prepared(op(t'))}, or with dynamic relations the reciprocal's {@code prepared(g(h))}
 * against {@code prepared(t')}. The evaluator and {@link EmbeddingModel} both rank through here, so they
 * cannot disagree about which side an operator applies to.
 *
 * <p>Each method returns the given rows of the relation's entity type ({@code null}: every row).
 */
public final class RankingSides {
    private final ModelParameters params;
    private final int d;
    private final EmbeddingRows embeddings;
    private final Comparator comparator;
    private final int rel;

    public RankingSides(TrainedModel model, Comparator comparator, int rel) {
        this(model.params, model.d, model, comparator, rel);
    }

    /** Ranks with {@code params} over rows of {@code d} values read from {@code embeddings}. */
    public RankingSides(ModelParameters params, int d, EmbeddingRows embeddings, Comparator comparator, int rel) {
        this.params = params;
        this.d = d;
        this.embeddings = embeddings;
        this.comparator = comparator;
        this.rel = rel;
    }

    public float[] tailQueries(int[] rows) {
        return rows(params.lhsType[rel], rows, params.dynamicRelations() ? params.reciprocal[rel] : null);
    }

    public float[] tailCandidates(int[] rows) {
        return rows(params.rhsType[rel], rows, params.dynamicRelations() ? null : params.relation[rel]);
    }

    public float[] headQueries(int[] rows) {
        return rows(params.rhsType[rel], rows, params.relation[rel]);
    }

    public float[] headCandidates(int[] rows) {
        return rows(params.lhsType[rel], rows, null);
    }

    /** {@code prepared(op_p(x))} for the rows of {@code type} ({@code p} null: no operator). */
    private float[] rows(int type, int[] rows, float[] operatorParams) {
        float[] x = embeddings.rows(type, rows);
        int n = x.length / d;
        float[] out = x;
        if (operatorParams != null) {
            out = new float[n * d];
            params.operators[rel].forward(operatorParams, x, out, 0, n, d);
        }
        comparator.prepare(out, out, n, d);
        return out;
    }
}
