package dev.tessera.jobs;

import dev.tessera.partitioner.ParsedChunk;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.graphx.lib.LabelPropagation;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Communities for the locality partitioning: GraphX label propagation over the training edges, with each
 * entity's 64-bit key as its vertex id. (Two entities sharing that half of their key would be one vertex
 * here: that can only blur a community, never misplace an edge.)
 */
final class CommunityDetection {
    /** Label propagation rounds: communities settle within a few on real graphs, and each round is a shuffle. */
    static final int STEPS = 10;

    private static final ClassTag<Object> OBJECT = ClassTag$.MODULE$.apply(Object.class);

    private CommunityDetection() {}

    /** Entity key (k1) → community label, for entities with training edges. */
    static JavaPairRDD<Long, Long> labels(JavaRDD<ParsedChunk> chunks) {
        JavaRDD<Edge<Object>> edges = chunks.filter(c -> c.split == 0).flatMap(c -> {
            List<Edge<Object>> out = new ArrayList<>(c.size());
            for (int i = 0; i < c.size(); i++) {
                out.add(new Edge<>(c.srcK1(i), c.dstK1(i), Boolean.TRUE));
            }
            return out.iterator();
        });
        Graph<Object, Object> graph = Graph.fromEdges(
                edges.rdd(), 0L, StorageLevel.MEMORY_AND_DISK(), StorageLevel.MEMORY_AND_DISK(), OBJECT, OBJECT);
        Graph<Object, Object> communities = LabelPropagation.run(graph, STEPS, OBJECT);
        return communities.vertices().toJavaRDD().mapToPair(t -> new Tuple2<>((Long) t._1(), (Long) t._2()));
    }
}
