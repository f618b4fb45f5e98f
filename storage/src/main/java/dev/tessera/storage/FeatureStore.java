package dev.tessera.storage;

import dev.tessera.core.util.Json;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Input features of a graph's entities, in the store's {@code features} family: one row per entity that has
 * any, keyed like its name, and a {@code features} meta record (dimension, rows, source) written last, so a
 * store whose import was cut short reads as having no features rather than as having some of them.
 */
public final class FeatureStore {
    private static final String META_KEY = "features";
    private static final int ROWS_PER_BATCH = 8192;
    private static final int MULTI_GET_KEYS = 4096;

    private final GraphStore store;

    public FeatureStore(GraphStore store) {
        this.store = store;
    }

    /** What the meta record says: the column count, the number of rows and the file they came from. */
    public record Info(int dimension, long rows, String source) {}

    public Optional<Info> info() {
        byte[] v = store.get(Family.META, Keys.meta(META_KEY));
        if (v == null) {
            return Optional.empty();
        }
        Map<String, Object> m = Json.parseObject(ValueCodecs.decodeJson("meta/" + META_KEY, v));
        return Optional.of(
                new Info(((Number) m.get("dimension")).intValue(), ((Number) m.get("rows")).longValue(), (String)
                        m.get("source")));
    }

    /** The meta record, or an error telling how to import features. */
    public Info require() {
        return info().orElseThrow(() -> new StorageException("graph " + store.dir() + " has no features; import them "
                + "first (bin/tessera features --graph G --file F.tsv, or gcn --features F.tsv)"));
    }

    /**
     * Replaces every stored feature row by {@code rows} (columns below {@code dimension}). The old meta record
     * goes first and the new one last: an interrupted replace leaves a store without features, never a mix.
     */
    public void replace(int dimension, Iterator<FeatureRow> rows, String source) {
        byte[] metaKey = Keys.meta(META_KEY);
        try (WriteOptions wo = new WriteOptions()) {
            store.rocks().db().delete(store.rocks().family(Family.META), wo, metaKey);
            store.deleteRange(Family.FEATURES, new byte[0], new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
            long written = 0;
            while (rows.hasNext()) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int i = 0; i < ROWS_PER_BATCH && rows.hasNext(); i++) {
                        FeatureRow row = rows.next();
                        EntityRef e = row.entity();
                        for (int c : row.columns()) {
                            if (c < 0 || c >= dimension) {
                                throw new IllegalArgumentException(
                                        "feature column " + c + " is outside [0, " + dimension + ")");
                            }
                        }
                        batch.put(
                                store.rocks().family(Family.FEATURES),
                                Keys.feature(e.type(), e.part(), e.offset()),
                                row.encode(dimension));
                        written++;
                    }
                    store.rocks().db().write(wo, batch);
                }
            }
            String json = Json.write(Map.of("dimension", dimension, "rows", written, "source", source));
            store.put(Family.META, metaKey, ValueCodecs.encodeJson(json));
        } catch (RocksDBException e) {
            throw new StorageException("cannot write features to " + store.dir() + ": " + e.getMessage(), e);
        }
    }

    /** Every stored row of one partition, in offset order. */
    public void forEachRow(int type, int part, Consumer<FeatureRow> consumer) {
        byte[] prefix = Keys.partitionPrefix(type, part);
        try (ReadOptions ro = new ReadOptions();
                RocksIterator it = store.rocks().db().newIterator(store.rocks().family(Family.FEATURES), ro)) {
            for (it.seek(prefix); it.isValid() && Keys.hasPrefix(it.key(), prefix); it.next()) {
                int offset = ByteBuffer.wrap(it.key(), 6, 4).getInt();
                consumer.accept(FeatureRow.decode(new EntityRef(type, part, offset), it.value()));
            }
        }
    }

    /**
     * The rows of {@code entities} as one dense row-major matrix ({@code entities.size() × dimension}; entities
     * without a row are zero): the gather of a mini-batch's input nodes. Read with multi-gets of a few thousand
     * keys each: one multi-get of a whole batch (10⁵ keys) makes RocksDB hold every key and value natively at
     * once, and the native heap keeps that high-water mark.
     */
    public float[] denseRows(List<EntityRef> entities, int dimension) {
        float[] out = new float[entities.size() * dimension];
        ColumnFamilyHandle family = store.rocks().family(Family.FEATURES);
        for (int from = 0; from < entities.size(); from += MULTI_GET_KEYS) {
            int to = Math.min(entities.size(), from + MULTI_GET_KEYS);
            List<byte[]> keys = new ArrayList<>(to - from);
            for (EntityRef e : entities.subList(from, to)) {
                keys.add(Keys.feature(e.type(), e.part(), e.offset()));
            }
            List<byte[]> values;
            try {
                values = store.rocks().db().multiGetAsList(Collections.nCopies(keys.size(), family), keys);
            } catch (RocksDBException e) {
                throw new StorageException("cannot read features from " + store.dir() + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < values.size(); i++) {
                byte[] v = values.get(i);
                if (v != null) {
                    FeatureRow row = FeatureRow.decode(entities.get(from + i), v);
                    int o = (from + i) * dimension;
                    for (int j = 0; j < row.columns().length; j++) {
                        out[o + row.columns()[j]] += row.values()[j];
                    }
                }
            }
        }
        return out;
    }
}
