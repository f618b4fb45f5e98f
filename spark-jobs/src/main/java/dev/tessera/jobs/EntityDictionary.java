package dev.tessera.jobs;

import dev.tessera.partitioner.DegreeBalancedDealer;
import dev.tessera.partitioner.EntityIndex;
import dev.tessera.partitioner.EntityOrder;
import dev.tessera.partitioner.EntityRecord;
import dev.tessera.partitioner.NodeChunk;
import dev.tessera.partitioner.ParsedChunk;
import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.partitioner.RankKey;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.EntitySstWriter;
import dev.tessera.storage.PartitionDictionaryWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The entity dictionary of an import, built in Spark: entities merged across chunks by key (the earliest
 * appearance decides type and name; a node file's come first), assigned a partition by the chosen strategy and a dense offset inside
 * (type, partition). Writes both directions of the dictionary and the degree blocks as SSTs.
 */
final class EntityDictionary {
    private final int[] parts;
    private final int[] groupBase;
    private final int groups;
    private final int tasks;
    private JavaRDD<EntityRecord> entities;
    private long[][] counts;

    private EntityDictionary(int[] parts, int tasks) {
        this.parts = parts;
        this.groupBase = new int[parts.length];
        int g = 0;
        for (int t = 0; t < parts.length; t++) {
            groupBase[t] = g;
            g += parts[t];
        }
        this.groups = g;
        this.tasks = tasks;
    }

    /**
     * Builds the dictionary of the entities the chunks mention and the node file declares ({@code nodes}, null
     * without one); {@code parts[type]} is the type's P.
     */
    static EntityDictionary build(
            JavaRDD<ParsedChunk> chunks, JavaRDD<NodeChunk> nodes, int[] parts, PartitionStrategy strategy, int tasks) {
        EntityDictionary d = new EntityDictionary(parts, tasks);
        JavaRDD<EntityRecord> appearances = chunks.flatMap(c -> c.endpoints().records());
        if (nodes != null) {
            appearances = appearances.union(nodes.flatMap(NodeChunk::records));
        }
        // Each chunk already merged its own endpoints, so a map-side combine would find nothing to merge.
        EntityHashRanges ranges = new EntityHashRanges(tasks);
        JavaRDD<EntityRecord> merged = appearances
                .mapToPair(r -> new Tuple2<>(r.key(), r))
                .combineByKey(r -> r, EntityRecord::merge, EntityRecord::merge, ranges, false, null)
                .values();
        JavaRDD<EntityRecord> placed = switch (strategy) {
            case HASH ->
                merged.map(r -> {
                    r.part = PartitionStrategy.hashPartition(r.k1, parts[r.type()]);
                    return r;
                });
            case DEGREE_BALANCED ->
                byHashRange(d.degreeBalanced(merged.persist(StorageLevel.MEMORY_AND_DISK())), ranges);
            case LOCALITY -> byHashRange(d.locality(merged, chunks), ranges);
        };
        d.assignOffsets(placed);
        return d;
    }

    /** Entities back in the tasks of their hash range, after a strategy that ranked them across tasks. */
    private static JavaRDD<EntityRecord> byHashRange(JavaRDD<EntityRecord> placed, EntityHashRanges ranges) {
        return placed.mapToPair(r -> new Tuple2<>(r.key(), r))
                .partitionBy(ranges)
                .values();
    }

    private JavaRDD<EntityRecord> degreeBalanced(JavaRDD<EntityRecord> merged) {
        long[][] head = new long[parts.length][];
        for (int t = 0; t < parts.length; t++) {
            int type = t;
            head[t] = merged
                    .filter(r -> r.type() == type)
                    .map(r -> (long) r.outDegree + r.inDegree)
                    .top(DegreeBalancedDealer.HEAD)
                    .stream()
                    .mapToLong(Long::longValue)
                    .toArray();
        }
        DegreeBalancedDealer dealer = new DegreeBalancedDealer(parts, head);
        return rank(
                merged.mapToPair(
                        r -> new Tuple2<>(new RankKey(r.type(), -((long) r.outDegree + r.inDegree), r.name), r)),
                (type, rank, count) -> dealer.partition(type, rank));
    }

    private JavaRDD<EntityRecord> locality(JavaRDD<EntityRecord> merged, JavaRDD<ParsedChunk> chunks) {
        JavaPairRDD<Long, Long> labels = CommunityDetection.labels(chunks);
        int[] p = parts;
        // Entities without training edges have no label and form their own community.
        return rank(
                merged.mapToPair(r -> new Tuple2<>(r.k1, r))
                        .leftOuterJoin(labels)
                        .values()
                        .mapToPair(t -> new Tuple2<>(
                                new RankKey(t._1().type(), t._2().orElse(t._1().k1), t._1().name), t._1())),
                (type, rank, count) -> PartitionStrategy.rangePartition(rank, count, p[type]));
    }

    interface RankDealer extends java.io.Serializable {
        int partition(int type, long rank, long count);
    }

    /** Sorts entities by their rank key (type first), ranks them within their type and deals ranks out. */
    private JavaRDD<EntityRecord> rank(JavaPairRDD<RankKey, EntityRecord> keyed, RankDealer dealer) {
        keyed = keyed.persist(StorageLevel.MEMORY_AND_DISK());
        Map<Integer, Long> perType = new TreeMap<>(keyed.map(t -> t._2().type()).countByValue());
        long[] start = new long[parts.length];
        long[] count = new long[parts.length];
        long acc = 0;
        for (int t = 0; t < parts.length; t++) {
            start[t] = acc;
            count[t] = perType.getOrDefault(t, 0L);
            acc += count[t];
        }
        return keyed.sortByKey(true, tasks).values().zipWithIndex().map(t -> {
            EntityRecord r = t._1();
            int type = r.type();
            r.part = dealer.partition(type, t._2() - start[type], count[type]);
            return r;
        });
    }

    /**
     * Dense offsets per (type, partition) without gathering a partition in one task: each task puts its
     * entities (a range of name hashes) in the store's key order, the tasks' counts per group are summed in
     * task order into each task's first offset per group, and a second pass numbers each group's entities
     * from there in key order. Deterministic for a given input.
     */
    private void assignOffsets(JavaRDD<EntityRecord> placed) {
        int[] base = groupBase;
        int groupCount = groups;
        JavaRDD<EntityRecord> sorted = placed.mapPartitions(
                        it -> {
                            List<EntityRecord> list = new ArrayList<>();
                            it.forEachRemaining(list::add);
                            return Arrays.asList(EntityOrder.byStoreKey(list)).iterator();
                        },
                        true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<long[]> taskCounts = sorted.mapPartitionsWithIndex(
                        (task, it) -> {
                            long[] perGroup = new long[groupCount];
                            it.forEachRemaining(r -> perGroup[EntityOrder.group(r, base)]++);
                            long[] flat = new long[groupCount * 3];
                            int i = 0;
                            for (int g = 0; g < groupCount; g++) {
                                if (perGroup[g] > 0) {
                                    flat[i++] = task;
                                    flat[i++] = g;
                                    flat[i++] = perGroup[g];
                                }
                            }
                            return List.of(Arrays.copyOf(flat, i)).iterator();
                        },
                        true)
                .collect();
        // First offset of each (task, group): the group's entities in earlier tasks come first.
        List<long[]> triples = new ArrayList<>();
        for (long[] flat : taskCounts) {
            for (int i = 0; i < flat.length; i += 3) {
                triples.add(new long[] {flat[i], flat[i + 1], flat[i + 2]});
            }
        }
        triples.sort(java.util.Comparator.comparingLong((long[] t) -> t[0]));
        long[][] firstOffset = new long[tasks][];
        long[] groupTotal = new long[groups];
        for (long[] t : triples) {
            int task = (int) t[0];
            if (firstOffset[task] == null) {
                firstOffset[task] = new long[groups];
            }
            firstOffset[task][(int) t[1]] = groupTotal[(int) t[1]];
            groupTotal[(int) t[1]] += t[2];
        }
        entities = sorted.mapPartitionsWithIndex((task, it) -> numbered(it, base, firstOffset[task]), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        entities.count();
        sorted.unpersist();
        counts = new long[parts.length][];
        for (int t = 0; t < parts.length; t++) {
            counts[t] = new long[parts[t]];
            for (int p = 0; p < parts[t]; p++) {
                counts[t][p] = groupTotal[groupBase[t] + p];
            }
        }
    }

    /** Numbers a task's entities, in key order, from each group's first offset in this task. */
    private static Iterator<EntityRecord> numbered(Iterator<EntityRecord> it, int[] base, long[] firstOffset) {
        long[] next = firstOffset == null ? null : firstOffset.clone();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public EntityRecord next() {
                EntityRecord r = it.next();
                r.offset = Math.toIntExact(next[EntityOrder.group(r, base)]++);
                return r;
            }
        };
    }

    JavaRDD<EntityRecord> entities() {
        return entities;
    }

    /** Entities per type per partition. */
    long[][] counts() {
        return counts;
    }

    long total() {
        long n = 0;
        for (long[] c : counts) {
            for (long v : c) {
                n += v;
            }
        }
        return n;
    }

    /** The whole dictionary as a compact index for broadcasting; call only when {@link #total} is small. */
    EntityIndex index() {
        EntityIndex index = new EntityIndex((int) total());
        for (long[] block : entities.mapPartitions(EntityDictionary::pack).collect()) {
            for (int i = 0; i < block.length; i += 4) {
                long meta = block[i + 2];
                index.put(
                        block[i],
                        (int) block[i + 1],
                        (int) (meta >>> 48),
                        (int) (meta >>> 32) & 0xffff,
                        (int) meta,
                        block[i + 3] != 0);
            }
        }
        return index;
    }

    /** A partition's entities as one long array: k1, k2, type|part|offset, trained — cheap to collect. */
    private static Iterator<long[]> pack(Iterator<EntityRecord> it) {
        long[] out = new long[1024];
        int n = 0;
        while (it.hasNext()) {
            EntityRecord r = it.next();
            if (n + 4 > out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = r.k1;
            out[n++] = r.k2;
            out[n++] = ((long) r.type() << 48) | ((long) r.part << 32) | (r.offset & 0xffffffffL);
            out[n++] = r.trained() ? 1 : 0;
        }
        return List.of(java.util.Arrays.copyOf(out, n)).iterator();
    }

    /**
     * The dictionary's SSTs, from each task's entities (a range of name hashes, in the store's key order): one
     * name → entity file per task (tasks' hash ranges do not overlap), and a names + degrees pair per (type,
     * partition) and task (each task holds a contiguous offset range of a partition, numbered in key order).
     */
    List<WrittenFile> writeSsts(Path sstDir) {
        String dir = sstDir.toString();
        int[] base = groupBase;
        int groupCount = groups;
        return new ArrayList<>(entities.mapPartitionsWithIndex(
                        (task, it) -> {
                            List<EntityRecord> list = new ArrayList<>();
                            it.forEachRemaining(list::add);
                            List<WrittenFile> files = new ArrayList<>();
                            try (EntitySstWriter w = new EntitySstWriter(Path.of(dir, "entities-" + task + ".sst"))) {
                                for (EntityRecord r : list) {
                                    w.put(r.name, new EntityRef(r.type(), r.part, r.offset));
                                }
                                Path f = w.finish();
                                if (f != null) {
                                    files.add(WrittenFile.of(WrittenFile.Kind.ENTITIES, f));
                                }
                            }
                            writePartitionDictionaries(
                                    EntityOrder.byGroup(list.toArray(new EntityRecord[0]), base, groupCount),
                                    dir,
                                    task,
                                    base,
                                    files);
                            return files.iterator();
                        },
                        false)
                .collect());
    }

    /** Names + degrees SSTs of a task's entities, grouped by (type, partition) and in offset order within. */
    private static void writePartitionDictionaries(
            EntityRecord[] byGroup, String dir, int task, int[] base, List<WrittenFile> files) {
        PartitionDictionaryWriter w = null;
        int group = -1;
        try {
            for (EntityRecord r : byGroup) {
                int g = EntityOrder.group(r, base);
                if (w == null || g != group) {
                    if (w != null) {
                        addDictionaryFiles(files, w.finish());
                        w.close();
                    }
                    group = g;
                    String suffix = r.type() + "-" + r.part + "-" + task + ".sst";
                    w = new PartitionDictionaryWriter(
                            Path.of(dir, "names-" + suffix), Path.of(dir, "degrees-" + suffix), r.type(), r.part);
                }
                w.add(r.offset, r.name, r.outDegree, r.inDegree);
            }
            if (w != null) {
                addDictionaryFiles(files, w.finish());
            }
        } finally {
            if (w != null) {
                w.close();
            }
        }
    }

    private static void addDictionaryFiles(List<WrittenFile> files, List<Path> namesAndDegrees) {
        if (namesAndDegrees.get(0) != null) {
            files.add(WrittenFile.of(WrittenFile.Kind.NAMES, namesAndDegrees.get(0)));
        }
        if (namesAndDegrees.get(1) != null) {
            files.add(WrittenFile.of(WrittenFile.Kind.DEGREES, namesAndDegrees.get(1)));
        }
    }

    /** Names of a few entities by key, for reports (one filter pass). */
    Map<EntityRecord.Key96, String> names(java.util.Set<EntityRecord.Key96> keys) {
        Map<EntityRecord.Key96, String> m = new java.util.HashMap<>();
        if (keys.isEmpty()) {
            return m;
        }
        java.util.Set<EntityRecord.Key96> wanted = new java.util.HashSet<>(keys);
        for (EntityRecord r : entities.filter(r -> wanted.contains(r.key())).collect()) {
            m.put(r.key(), r.name);
        }
        return m;
    }
}
