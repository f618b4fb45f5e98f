package dev.tessera.serving;

import dev.tessera.model.SelectedRows;
import dev.tessera.model.StoredModel;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.serving.EmbeddingModel.Scored;
import dev.tessera.serving.knn.ExactKnn;
import dev.tessera.serving.knn.Metric;
import dev.tessera.serving.knn.Neighbours;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Exact nearest neighbours of one entity over a stored model, scanning the candidate type one partition at a
 * time (the k best of each partition, then the k best of those): what {@link EmbeddingModel#nearest} answers
 * without holding more than one partition, for models larger than the memory the process may use. Same
 * metric, same scores (each re-scored in double precision), same order: better score first, then lower row.
 */
public final class StreamedNeighbours {
    private final GraphStore graph;
    private final StoredModel model;
    private final Metric metric;

    /** Searches {@code model}, whose checkpoint store must stay open while searching. */
    public StreamedNeighbours(GraphStore graph, StoredModel model) {
        this.graph = graph;
        this.model = model;
        this.metric = Metric.of(model.config.comparator());
    }

    /** {@code cosine}, {@code dot} or {@code l2}: the metric of the trained comparator. */
    public String metric() {
        return metric.label();
    }

    /** The k entities of {@code type} (null: the entity's own) closest to {@code name}, itself left out. */
    public List<Scored> nearest(String name, int k, String type) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        EntityRef e = EntityNames.lookup(graph, name);
        int candidates = type == null ? e.type() : model.config.entityTypeId(type);
        int p = model.positionDimension();
        float[] query = query(e);
        int threads = Runtime.getRuntime().availableProcessors();
        float[] buffer = model.partitionBuffer(candidates);
        record Found(int part, int offset, float score) {}
        List<Found> found = new ArrayList<>();
        for (int part = 0; part < model.partitions(candidates); part++) {
            int rows = model.partitionRows(candidates, part);
            if (rows == 0) {
                continue;
            }
            model.readPartition(candidates, part, buffer);
            int self = candidates == e.type() && part == e.part() ? e.offset() : -1;
            Neighbours best = new ExactKnn(
                            model.positions(buffer, rows), rows, p, metric, OpenBlasBackend.bestAvailable(), threads)
                    .search(query, 1, k, new int[] {self});
            for (int i = 0; i < best.count(0); i++) {
                found.add(new Found(part, best.row(0, i), best.score(0, i)));
            }
        }
        found.sort(Comparator.comparingDouble((Found f) -> -f.score())
                .thenComparingInt(f -> model.row(candidates, f.part(), f.offset())));
        List<Scored> out = new ArrayList<>(Math.min(k, found.size()));
        for (Found f : found.subList(0, Math.min(k, found.size()))) {
            out.add(new Scored(graph.entityName(candidates, f.part(), f.offset()), f.score()));
        }
        return out;
    }

    /** The entity's position: the last {@code positionDimension} values of its row. */
    private float[] query(EntityRef e) {
        int[][] wanted = new int[model.types()][];
        int row = model.row(e.type(), e.part(), e.offset());
        wanted[e.type()] = new int[] {row};
        float[] values = new SelectedRows(model, wanted).rows(e.type(), new int[] {row});
        return Arrays.copyOfRange(values, model.d - model.positionDimension(), model.d);
    }
}
