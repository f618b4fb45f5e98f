package dev.tessera.serving;

import dev.tessera.core.config.ComparatorName;
import dev.tessera.core.config.RelationConfig;
import dev.tessera.model.Comparator;
import dev.tessera.model.ModelParameters;
import dev.tessera.model.RankingSides;
import dev.tessera.model.TrainedModel;
import dev.tessera.model.backend.JavaBackend;
import dev.tessera.model.backend.OpenBlasBackend;
import dev.tessera.serving.knn.ExactKnn;
import dev.tessera.serving.knn.HnswIndexFiles;
import dev.tessera.serving.knn.Metric;
import dev.tessera.serving.knn.NeighbourIndex;
import dev.tessera.serving.knn.Neighbours;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EdgeBlockCursor;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.storage.TrainedGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A trained model for applications: vectors by entity name, link scores, the best tails of {@code (h, r, ?)}
 * and heads of {@code (?, r, t)}, and nearest neighbours (exact, or approximate on an HNSW index) under the
 * metric that matches the trained comparator (cosine for {@code cos}, inner product for {@code dot},
 * Euclidean distance for {@code l2} and {@code squared_l2}), so a neighbour query cannot use a metric the
 * model was not trained for.
 *
 * <p>The checkpoint is read whole into memory when opened (and closed again); the graph stays open
 * read-only for names and known edges. Safe for concurrent readers: queries share only immutable arrays
 * and neighbour indexes, each built once.
 */
public final class EmbeddingModel implements AutoCloseable {
    /** An entity and its score (higher is better; for l2 metrics the negated distance). */
    public record Scored(String entity, double score) {}

    private final GraphStore graph;
    /** The checkpoint directory, where approximate-search graphs are saved ({@link HnswIndexFiles}). */
    private final Path checkpoint;

    private final TrainedModel model;
    private final ModelParameters params;
    private final ComparatorName comparator;
    private final boolean bias;
    private final Metric metric;
    /** Neighbour indexes by {@code type·2 + approximate}, made at a type's first query. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, NeighbourIndex> indexes =
            new java.util.concurrent.ConcurrentHashMap<>();

    private EmbeddingModel(GraphStore graph, Path checkpoint, TrainedModel model) {
        this.graph = graph;
        this.checkpoint = checkpoint;
        this.model = model;
        this.params = model.params;
        this.comparator = model.config.comparator();
        this.bias = model.config.bias();
        this.metric = Metric.of(comparator);
    }

    /**
     * Opens the latest checkpoint in {@code checkpoint} of the graph in {@code graphDir}. The checkpoint is read
     * whole and closed; the model keeps only the graph (for names), so training can go on in the checkpoint.
     */
    public static EmbeddingModel open(Path graphDir, Path checkpoint) {
        try (TrainedGraph t = TrainedGraph.open(graphDir, checkpoint)) {
            EmbeddingModel model =
                    new EmbeddingModel(t.graph(), checkpoint, new TrainedModel(t.graph(), t.checkpoint()));
            t.keepGraph();
            return model;
        }
    }

    /** {@code cosine}, {@code dot} or {@code l2}: how {@link #nearest} compares vectors. */
    public String metric() {
        return metric.label();
    }

    /** The entity's embedding (with its type's global embedding added, as the model scores it). */
    public float[] vector(String name) {
        EntityRef e = entity(name);
        int row = model.row(e.type(), e.part(), e.offset());
        return java.util.Arrays.copyOfRange(model.embeddings[e.type()], row * model.d, (row + 1) * model.d);
    }

    /**
     * Every embedding of {@code type} as one matrix (with its global embedding added, as {@link #vector}): the
     * model's own array, not a copy, so that a type of millions of rows is not held twice. Do not modify it.
     */
    public EmbeddingMatrix vectors(String type) {
        int t = entityType(type);
        return new EmbeddingMatrix(model.count[t], model.d, model.embeddings[t]);
    }

    /** The names of {@code type}'s entities in the row order of {@link #vectors}. */
    public List<String> names(String type) {
        int t = entityType(type);
        return EntityNames.inRowOrder(graph, t, model.count[t]);
    }

    /**
     * The model's score of {@code (head, relation, tail)}: what {@link #topTails} ranks by (with dynamic
     * relations, the tail side's reciprocal operator; heads are ranked by the relation's own operator).
     */
    public double score(String head, String relation, String tail) {
        int rel = relation(relation);
        EntityRef h = entityOfType(head, params.lhsType[rel], relation, "head");
        EntityRef t = entityOfType(tail, params.rhsType[rel], relation, "tail");
        Comparator c = Comparator.of(comparator, bias);
        RankingSides sides = new RankingSides(model, c, rel);
        float[] out = new float[1];
        c.pairs(sides.tailQueries(new int[] {row(h)}), sides.tailCandidates(new int[] {row(t)}), out, 1, model.d);
        return out[0];
    }

    /** The k best tails of {@code (head, relation, ?)}; with {@code filtered}, known true tails are left out. */
    public List<Scored> topTails(String head, String relation, int k, boolean filtered) {
        checkK(k);
        int rel = relation(relation);
        EntityRef h = entityOfType(head, params.lhsType[rel], relation, "head");
        Comparator c = Comparator.of(comparator, bias);
        RankingSides sides = new RankingSides(model, c, rel);
        int rt = params.rhsType[rel];
        float[] scores = new float[model.count[rt]];
        c.all(
                new JavaBackend(),
                sides.tailQueries(new int[] {row(h)}),
                sides.tailCandidates(null),
                scores,
                1,
                scores.length,
                model.d);
        BitSet skip = filtered ? known(rel, h, true) : new BitSet();
        return best(rt, scores, k, skip);
    }

    /** The k best heads of {@code (?, relation, tail)}; with {@code filtered}, known true heads are left out. */
    public List<Scored> topHeads(String relation, String tail, int k, boolean filtered) {
        checkK(k);
        int rel = relation(relation);
        EntityRef t = entityOfType(tail, params.rhsType[rel], relation, "tail");
        Comparator c = Comparator.of(comparator, bias);
        RankingSides sides = new RankingSides(model, c, rel);
        int lt = params.lhsType[rel];
        float[] scores = new float[model.count[lt]];
        c.all(
                new JavaBackend(),
                sides.headQueries(new int[] {row(t)}),
                sides.headCandidates(null),
                scores,
                1,
                scores.length,
                model.d);
        BitSet skip = filtered ? known(rel, t, false) : new BitSet();
        return best(lt, scores, k, skip);
    }

    /** The k entities of the same type closest to {@code name} under {@link #metric}, itself left out (exact). */
    public List<Scored> nearest(String name, int k) {
        return nearest(name, k, null, false);
    }

    /**
     * The k entities of type {@code type} (null: the entity's own type) closest to {@code name} under
     * {@link #metric}, itself left out; by exact search, or with {@code approximate} on an HNSW index
     * made at the type's first such query (read from the checkpoint directory when saved there for these
     * embeddings, else built and saved: {@link HnswIndexFiles}) and kept for the model's life.
     */
    public List<Scored> nearest(String name, int k, String type, boolean approximate) {
        checkK(k);
        EntityRef e = entity(name);
        int candidates = type == null ? e.type() : entityType(type);
        NeighbourIndex index = index(candidates, approximate);
        int p = model.positionDimension();
        // The position is the row's last p elements (without the bias, when element 0 is one).
        float[] query = java.util.Arrays.copyOfRange(
                model.embeddings[e.type()], (row(e) + 1) * model.d - p, (row(e) + 1) * model.d);
        int self = candidates == e.type() ? row(e) : -1;
        Neighbours found = index.search(query, 1, k, new int[] {self});
        List<Scored> out = new ArrayList<>(found.count(0));
        for (int i = 0; i < found.count(0); i++) {
            out.add(new Scored(nameOf(candidates, found.row(0, i)), found.score(0, i)));
        }
        return out;
    }

    /** The exact or approximate index over a type's positions, made once per model. */
    private NeighbourIndex index(int type, boolean approximate) {
        return indexes.computeIfAbsent(type * 2 + (approximate ? 1 : 0), key -> {
            int threads = Runtime.getRuntime().availableProcessors();
            float[] points = model.positions(type);
            int p = model.positionDimension();
            if (!approximate) {
                return new ExactKnn(points, model.count[type], p, metric, OpenBlasBackend.bestAvailable(), threads);
            }
            return HnswIndexFiles.openOrBuild(
                            checkpoint, model.version, type, points, model.count[type], p, metric, threads)
                    .index();
        });
    }

    private int entityType(String type) {
        return model.config.entityTypeId(type);
    }

    @Override
    public void close() {
        graph.close();
    }

    /** Entities known on the other side of {@code e} under {@code rel} in any split, as rows of that type. */
    private BitSet known(int rel, EntityRef e, boolean tails) {
        BitSet out = new BitSet();
        int p = graph.meta().numPartitions();
        int other = tails ? params.rhsType[rel] : params.lhsType[rel];
        for (Split split : Split.values()) {
            for (int q = 0; q < p; q++) {
                int lhsPart = tails ? e.part() : q;
                int rhsPart = tails ? q : e.part();
                try (EdgeBlockCursor cursor = graph.edges(split, lhsPart, rhsPart)) {
                    while (cursor.hasNext()) {
                        EdgeBlock b = cursor.next();
                        for (int i = 0; i < b.size(); i++) {
                            if (b.rel()[i] == rel && (tails ? b.lhs()[i] : b.rhs()[i]) == e.offset()) {
                                out.set(
                                        tails
                                                ? model.row(other, rhsPart, b.rhs()[i])
                                                : model.row(other, lhsPart, b.lhs()[i]));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private List<Scored> best(int type, float[] scores, int k, BitSet skip) {
        PriorityQueue<Integer> top = new PriorityQueue<>((a, b) -> Float.compare(scores[a], scores[b]));
        for (int j = 0; j < scores.length; j++) {
            if (skip.get(j)) {
                continue;
            }
            if (top.size() < k) {
                top.add(j);
            } else if (scores[j] > scores[top.peek()]) {
                top.poll();
                top.add(j);
            }
        }
        List<Scored> out = new ArrayList<>(top.size());
        while (!top.isEmpty()) {
            int j = top.poll();
            out.add(new Scored(nameOf(type, j), scores[j]));
        }
        java.util.Collections.reverse(out);
        return out;
    }

    private String nameOf(int type, int row) {
        EntityRef e = model.entityAt(type, row);
        return graph.entityName(type, e.part(), e.offset());
    }

    private int row(EntityRef e) {
        return model.row(e.type(), e.part(), e.offset());
    }

    private EntityRef entity(String name) {
        return EntityNames.lookup(graph, name);
    }

    private EntityRef entityOfType(String name, int type, String relation, String side) {
        EntityRef e = entity(name);
        if (e.type() != type) {
            throw new IllegalArgumentException("entity '" + name + "' is a "
                    + model.config.entities().get(e.type()).name() + ", but the " + side + " of relation '" + relation
                    + "' is a " + model.config.entities().get(type).name());
        }
        return e;
    }

    private int relation(String name) {
        List<RelationConfig> rels = model.config.relations();
        for (int r = 0; r < rels.size(); r++) {
            if (rels.get(r).name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown relation '" + name + "'; the model has "
                + rels.stream().map(RelationConfig::name).toList());
    }

    private static void checkK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
    }
}
