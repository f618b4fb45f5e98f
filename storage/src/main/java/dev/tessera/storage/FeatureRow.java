package dev.tessera.storage;

import java.nio.ByteBuffer;

/**
 * One entity's input features: the non-zero columns and their values. Stored sparse ({@code count, cols,
 * values}) or, when at least half the columns are set, dense ({@code dimension, values}), whichever is
 * smaller, so bag-of-words and dense embeddings both store compactly.
 */
public record FeatureRow(EntityRef entity, int[] columns, float[] values) {
    private static final byte SPARSE = 0;
    private static final byte DENSE = 1;

    public FeatureRow {
        if (columns.length != values.length) {
            throw new IllegalArgumentException("feature columns and values differ in length");
        }
    }

    byte[] encode(int dimension) {
        boolean dense = 2L * columns.length >= dimension;
        ByteBuffer b = Frames.open(ValueKind.FEATURE_ROW, 1 + 4 + (dense ? 4 * dimension : 8 * columns.length));
        if (dense) {
            float[] row = new float[dimension];
            for (int i = 0; i < columns.length; i++) {
                row[columns[i]] += values[i];
            }
            b.put(DENSE).putInt(dimension);
            for (float v : row) {
                b.putFloat(v);
            }
        } else {
            b.put(SPARSE).putInt(columns.length);
            for (int c : columns) {
                b.putInt(c);
            }
            for (float v : values) {
                b.putFloat(v);
            }
        }
        return Frames.seal(b);
    }

    static FeatureRow decode(EntityRef entity, byte[] value) {
        String key = "features/" + entity.type() + "/" + entity.part() + "/" + entity.offset();
        ByteBuffer b = Frames.decode(key, value, ValueKind.FEATURE_ROW);
        byte mode = b.get();
        int n = b.getInt();
        if (n < 0
                || (mode == SPARSE && b.remaining() != 8L * n)
                || (mode == DENSE && b.remaining() != 4L * n)
                || (mode != SPARSE && mode != DENSE)) {
            throw new CorruptBlockException(
                    key,
                    "feature row (mode " + mode + ", " + n + " entries) does not fit its " + b.remaining() + " bytes");
        }
        int[] cols = new int[n];
        float[] vals = new float[n];
        if (mode == DENSE) {
            for (int i = 0; i < n; i++) {
                cols[i] = i;
                vals[i] = b.getFloat();
            }
        } else {
            for (int i = 0; i < n; i++) {
                cols[i] = b.getInt();
            }
            for (int i = 0; i < n; i++) {
                vals[i] = b.getFloat();
            }
        }
        return new FeatureRow(entity, cols, vals);
    }
}
