package dev.tessera.jobs;

import dev.tessera.partitioner.EntityIndex;
import dev.tessera.partitioner.EntityRecord;
import dev.tessera.partitioner.MappedEdge;
import dev.tessera.partitioner.ParsedChunk;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Resolves every edge's two ends against the dictionary. A dictionary of up to a few million entities is
 * broadcast as an {@link EntityIndex} and each chunk is resolved where it lies, with no shuffle; a larger
 * one is joined (two shuffles), so the driver never holds it.
 */
final class EdgeMapper implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Per relation id: its name, lhs and rhs entity types. */
    private final Map<String, Integer> relationIds;

    private final int[] lhsType;
    private final int[] rhsType;

    EdgeMapper(Map<String, Integer> relationIds, int[] lhsType, int[] rhsType) {
        this.relationIds = relationIds;
        this.lhsType = lhsType;
        this.rhsType = rhsType;
    }

    JavaRDD<MappedEdge> broadcast(JavaRDD<ParsedChunk> chunks, EntityIndex index, JavaSparkContext jsc) {
        Broadcast<EntityIndex> b = jsc.broadcast(index);
        return chunks.mapPartitions(it -> new Iterator<MappedEdge>() {
            ParsedChunk c;
            int[] relMap;
            int i;

            @Override
            public boolean hasNext() {
                while ((c == null || i >= c.size()) && it.hasNext()) {
                    c = it.next();
                    relMap = globalRelations(c);
                    i = 0;
                }
                return c != null && i < c.size();
            }

            @Override
            public MappedEdge next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                EntityIndex idx = b.value();
                int s = idx.find(c.srcK1(i), c.srcK2(i));
                int d = idx.find(c.dstK1(i), c.dstK2(i));
                int rel = relMap[c.rel(i)];
                MappedEdge e = resolve(
                        c.split,
                        c.chunk,
                        c.line(i),
                        rel,
                        c.weight(i),
                        c.srcK1(i),
                        c.srcK2(i),
                        idx.type(s),
                        idx.part(s),
                        idx.offset(s),
                        idx.trained(s),
                        c.dstK1(i),
                        c.dstK2(i),
                        idx.type(d),
                        idx.part(d),
                        idx.offset(d),
                        idx.trained(d));
                i++;
                return e;
            }
        });
    }

    /** An edge waiting for its ends: what the chunk knew, plus the source end once joined (Kryo: no record). */
    static final class Pending implements Serializable {
        private static final long serialVersionUID = 1L;
        final int split;
        final int chunk;
        final int line;
        final int rel;
        final float weight;
        final long srcK1;
        final int srcK2;
        final long dstK1;
        final int dstK2;
        final long srcRef;

        Pending(
                int split,
                int chunk,
                int line,
                int rel,
                float weight,
                long srcK1,
                int srcK2,
                long dstK1,
                int dstK2,
                long srcRef) {
            this.split = split;
            this.chunk = chunk;
            this.line = line;
            this.rel = rel;
            this.weight = weight;
            this.srcK1 = srcK1;
            this.srcK2 = srcK2;
            this.dstK1 = dstK1;
            this.dstK2 = dstK2;
            this.srcRef = srcRef;
        }
    }

    JavaRDD<MappedEdge> join(JavaRDD<ParsedChunk> chunks, JavaRDD<EntityRecord> entities, int tasks) {
        JavaPairRDD<EntityRecord.Key96, Long> refs = entities.mapToPair(r -> new Tuple2<>(r.key(), pack(r)));
        JavaPairRDD<EntityRecord.Key96, Pending> bySrc = chunks.flatMapToPair(c -> {
            int[] relMap = globalRelations(c);
            List<Tuple2<EntityRecord.Key96, Pending>> out = new java.util.ArrayList<>(c.size());
            for (int i = 0; i < c.size(); i++) {
                out.add(new Tuple2<>(
                        new EntityRecord.Key96(c.srcK1(i), c.srcK2(i)),
                        new Pending(
                                c.split,
                                c.chunk,
                                c.line(i),
                                relMap[c.rel(i)],
                                c.weight(i),
                                c.srcK1(i),
                                c.srcK2(i),
                                c.dstK1(i),
                                c.dstK2(i),
                                0)));
            }
            return out.iterator();
        });
        JavaPairRDD<EntityRecord.Key96, Pending> byDst = bySrc.join(refs, tasks).mapToPair(t -> {
            Pending p = t._2()._1();
            return new Tuple2<>(
                    new EntityRecord.Key96(p.dstK1, p.dstK2),
                    new Pending(
                            p.split,
                            p.chunk,
                            p.line,
                            p.rel,
                            p.weight,
                            p.srcK1,
                            p.srcK2,
                            p.dstK1,
                            p.dstK2,
                            t._2()._2()));
        });
        return byDst.join(refs, tasks).values().map(t -> {
            Pending p = t._1();
            long s = p.srcRef;
            long d = t._2();
            return resolve(
                    p.split,
                    p.chunk,
                    p.line,
                    p.rel,
                    p.weight,
                    p.srcK1,
                    p.srcK2,
                    type(s),
                    part(s),
                    offset(s),
                    trained(s),
                    p.dstK1,
                    p.dstK2,
                    type(d),
                    part(d),
                    offset(d),
                    trained(d));
        });
    }

    private int[] globalRelations(ParsedChunk c) {
        int[] m = new int[c.relations().size()];
        for (int r = 0; r < m.length; r++) {
            m[r] = relationIds.get(c.relations().get(r));
        }
        return m;
    }

    private MappedEdge resolve(
            int split,
            int chunk,
            int line,
            int rel,
            float weight,
            long sK1,
            int sK2,
            int sType,
            int sPart,
            int sOff,
            boolean sTrained,
            long dK1,
            int dK2,
            int dType,
            int dPart,
            int dOff,
            boolean dTrained) {
        if (sType != lhsType[rel]) {
            return MappedEdge.wrongType(split, rel, 0, chunk, line, sK1, sK2, sType);
        }
        if (dType != rhsType[rel]) {
            return MappedEdge.wrongType(split, rel, 1, chunk, line, dK1, dK2, dType);
        }
        return MappedEdge.ok(split, sPart, dPart, rel, sOff, dOff, weight, !(sTrained && dTrained));
    }

    /** An entity's place in one long: type (16 bits) | untrained (1) | partition (15) | offset (32). */
    private static long pack(EntityRecord r) {
        return ((long) r.type() << 48)
                | ((long) r.part << 32)
                | (r.offset & 0xffffffffL)
                | (r.trained() ? 0 : 1L << 47);
    }

    private static int type(long ref) {
        return (int) (ref >>> 48);
    }

    private static int part(long ref) {
        return (int) (ref >>> 32) & 0x7fff;
    }

    private static int offset(long ref) {
        return (int) ref;
    }

    private static boolean trained(long ref) {
        return (ref & (1L << 47)) == 0;
    }
}
