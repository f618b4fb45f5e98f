package dev.tessera.jobs;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.partitioner.BadRowReason;
import dev.tessera.partitioner.BucketWriters;
import dev.tessera.partitioner.DegreeBalancedDealer;
import dev.tessera.partitioner.EntityKey;
import dev.tessera.partitioner.InputFormat;
import dev.tessera.partitioner.PartitionDictionaryWriter;
import dev.tessera.partitioner.PartitionStrategy;
import dev.tessera.partitioner.RelationCatalog;
import dev.tessera.partitioner.SortedSstWriter;
import dev.tessera.storage.EdgeBlock;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.Family;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Keys;
import dev.tessera.storage.Split;
import dev.tessera.storage.StagedDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Imports edge files into a graph directory (DESIGN.md §3.1): parse and check every row, build the entity
 * dictionary, assign partitions, key edges by bucket, write sorted SST files in Spark tasks and ingest them.
 * The driver only ever holds small aggregates (counts, the first bad rows, file lists), never edges, and
 * the graph directory appears by one rename when everything is in it.
 *
 * <p>Run from the CLI ({@code bin/tessera import}) or with
 * {@code spark-submit --class dev.tessera.jobs.ImportJob tessera-jobs.jar --config C --edges E --out G}.
 * On a cluster the output's parent directory must be on a filesystem the executors share with the
 * driver: tasks write their SST files there.
 */
public final class ImportJob {
    private static final int BAD_ROW_SAMPLES = 10;
    private static final long MAX_DISCOVERED_RELATIONS = 100_000;
    /** Edges per Spark write task: large enough to amortise a task, small enough to spread a bucket. */
    private static final long EDGES_PER_TASK = 500_000;
    /** Bucket files a write task keeps open at once (each buffers one block): beyond this, shuffle by bucket. */
    private static final int MAX_OPEN_BUCKET_FILES = 192;

    private final SparkSession spark;
    private final ImportOptions options;
    private final SparkProgress progress;

    public ImportJob(SparkSession spark, ImportOptions options, SparkProgress progress) {
        this.spark = spark;
        this.options = options;
        this.progress = progress;
    }

    /** The spark-submit entry point: same arguments as {@code bin/tessera import}. */
    public static void main(String[] args) {
        int code = dev.tessera.cli.TesseraCli.run(args, "import");
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the import; returns the report that {@code --json} prints. */
    public Map<String, Object> run() {
        long started = System.nanoTime();
        TesseraConfig config = withPartitionOverride(ConfigLoader.load(options.config()), options.partitions());
        int partitions = config.entities().stream().mapToInt(EntityTypeConfig::numPartitions).max().orElse(1);
        Map<String, Long> badByReason = new TreeMap<>();
        List<BadRowSample> badSamples = new ArrayList<>();
        try (StagedDirectory staged = StagedDirectory.begin(options.out(), options.overwrite())) {
            Path sstDir = Files.createDirectories(staged.staging().resolve("sst"));

            progress.phase("reading and checking rows");
            RelationCatalog catalog = new RelationCatalog(config);
            EdgeInputReader reader = new EdgeInputReader(spark, catalog, options.columns());
            Dataset<Row> parsed = null;
            boolean weighted = false;
            Map<Integer, String> files = new HashMap<>();
            Map<Integer, Integer> headers = new HashMap<>();
            for (Map.Entry<Split, String> in : options.inputs().entrySet()) {
                InputFormat format = options.format() != null ? options.format() : InputFormat.guess(in.getValue());
                EdgeInputReader.Parsed p = reader.read(in.getKey(), in.getValue(), format);
                parsed = parsed == null ? p.rows() : parsed.union(p.rows());
                weighted |= p.weighted();
                files.put(in.getKey().ordinal(), in.getValue());
                headers.put(in.getKey().ordinal(), p.headerLines());
            }
            parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK());
            Column summary = col("reason").equalTo(EdgeInputReader.LINES);
            LineIndex lines = new LineIndex(parsed.filter(summary).select("split", "chunk", "line").collectAsList());
            Map<Split, Long> inputRows = new EnumMap<>(Split.class);
            files.keySet().forEach(s -> inputRows.put(Split.values()[s], lines.lines(s) - headers.get(s)));
            checkPositionsFit(lines, files.keySet());
            Dataset<Row> bad = parsed.filter(col("reason").isNotNull().and(not(summary)));
            for (Row r : bad.groupBy("reason").count().collectAsList()) {
                badByReason.put(r.getString(0), r.getLong(1));
            }
            if (!badByReason.isEmpty()) {
                for (Row r : bad.orderBy("split", "chunk", "line").limit(BAD_ROW_SAMPLES).collectAsList()) {
                    badSamples.add(new BadRowSample(files.get(r.getInt(0)),
                            lines.line(r.getInt(0), r.getInt(1), r.getLong(2)), r.getString(r.fieldIndex("reason")),
                            r.getString(r.fieldIndex("detail"))));
                }
            }
            checkBadRows(badByReason, badSamples);
            Dataset<Row> good = parsed.filter(col("reason").isNull()).drop("reason", "detail");

            progress.phase("resolving relations");
            config = withDiscoveredRelations(config, good);
            Map<String, Integer> relationIds = new HashMap<>();
            for (int i = 0; i < config.relations().size(); i++) {
                relationIds.put(config.relations().get(i).name(), i);
            }

            progress.phase("building the dictionary");
            Dataset<Row> entities = dictionary(good, config).persist(StorageLevel.MEMORY_AND_DISK());
            long[][] entityCounts = entityCounts(entities, config);
            long entityTotal = 0;
            for (long[] c : entityCounts) {
                for (long v : c) {
                    entityTotal += v;
                }
            }

            progress.phase("joining edges to entities");
            Dataset<Row> joined = joinEntities(good, entities, relationIds, entityTotal);
            if (typesCanConflict(config)) {
                joined = joined.persist(StorageLevel.MEMORY_AND_DISK());
                Dataset<Row> wrongType = joined.filter(not(col("type_ok")));
                long wrongCount = wrongType.count();
                if (wrongCount > 0) {
                    badByReason.put(BadRowReason.WRONG_ENTITY_TYPE.key(), wrongCount);
                    List<String> typeNames = config.entities().stream().map(EntityTypeConfig::name).toList();
                    for (Row r : wrongType.orderBy("split", "chunk", "line").limit(BAD_ROW_SAMPLES)
                            .collectAsList()) {
                        badSamples.add(wrongTypeSample(r, files, lines, typeNames));
                    }
                    badSamples.sort(java.util.Comparator.comparing((BadRowSample s) -> splitOf(s, files))
                            .thenComparingLong(BadRowSample::line));
                    while (badSamples.size() > BAD_ROW_SAMPLES) {
                        badSamples.remove(badSamples.size() - 1);
                    }
                    checkBadRows(badByReason, badSamples);
                }
                joined = joined.filter(col("type_ok"));
            }

            progress.phase("writing edge buckets");
            long goodRows = inputRows.values().stream().mapToLong(Long::longValue).sum()
                    - badByReason.values().stream().mapToLong(Long::longValue).sum();
            List<WrittenFile> written = new ArrayList<>(writeEdges(joined, sstDir, weighted, partitions, goodRows));
            progress.phase("writing the dictionary");
            written.addAll(writeDictionary(entities, sstDir));

            progress.phase("ingesting into RocksDB");
            Map<Split, long[][]> edgeCounts = new EnumMap<>(Split.class);
            Map<Split, Long> unseen = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                edgeCounts.put(s, new long[partitions][partitions]);
            }
            Map<Family, List<Path>> byFamily = new EnumMap<>(Family.class);
            for (WrittenFile f : written) {
                byFamily.computeIfAbsent(f.family(), k -> new ArrayList<>()).add(Path.of(f.path()));
                if (f.family() == Family.EDGES) {
                    Split s = Split.values()[f.split()];
                    edgeCounts.get(s)[f.lhsPart()][f.rhsPart()] += f.edges();
                    unseen.merge(s, f.unseenInTrain(), Long::sum);
                }
            }
            double seconds;
            Map<String, Object> report = new LinkedHashMap<>();
            try (GraphStore store = GraphStore.create(staged.staging())) {
                byFamily.forEach(store::ingest);
                Map<String, long[]> counts = new LinkedHashMap<>();
                for (int t = 0; t < config.entities().size(); t++) {
                    counts.put(config.entities().get(t).name(), entityCounts[t]);
                }
                long totalInput = inputRows.values().stream().mapToLong(Long::longValue).sum();
                seconds = (System.nanoTime() - started) / 1e9;
                GraphMeta draft = new GraphMeta(config, partitions, counts, edgeCounts, Map.of());
                report.put("graph", staged.target().toString());
                report.put("entities", draft.entityTotals());
                Map<String, Object> edges = new LinkedHashMap<>();
                Map<String, Object> unseenReport = new LinkedHashMap<>();
                for (Split s : Split.values()) {
                    if (options.inputs().containsKey(s)) {
                        edges.put(s.label(), draft.edgeCount(s));
                        if (s != Split.TRAIN) {
                            unseenReport.put(s.label(), unseen.getOrDefault(s, 0L));
                        }
                    }
                }
                report.put("edges", edges);
                report.put("relations", config.relations().size());
                report.put("partitions", partitions);
                report.put("buckets", draft.nonEmptyBuckets(Split.TRAIN));
                report.put("strategy", options.strategy().label());
                report.put("diagonal_fraction", round(draft.diagonalFraction(Split.TRAIN)));
                report.put("bucket_imbalance", round(bucketImbalance(edgeCounts.get(Split.TRAIN))));
                Map<String, Object> badReport = new LinkedHashMap<>();
                badReport.put("total", badByReason.values().stream().mapToLong(Long::longValue).sum());
                badReport.put("by_reason", new LinkedHashMap<>(badByReason));
                badReport.put("first", badSamples.stream().map(BadRowSample::toString).toList());
                report.put("bad_rows", badReport);
                report.put("unseen_in_train", unseenReport);
                report.put("input_rows", totalInput);
                report.put("seconds", round(seconds));
                report.put("edges_per_s", Math.round(totalInput / Math.max(seconds, 1e-9)));
                store.writeMeta(new GraphMeta(config, partitions, counts, edgeCounts, report));
                store.flush();
            }
            StagedDirectory.deleteTree(sstDir);
            parsed.unpersist();
            entities.unpersist();
            staged.commit();
            return report;
        } catch (IOException e) {
            throw new ImportFailedException("cannot write under " + options.out() + ": " + e.getMessage());
        }
    }

    private void checkBadRows(Map<String, Long> byReason, List<BadRowSample> samples) {
        long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        if (total > options.maxBadRows()) {
            StringBuilder sb = new StringBuilder();
            sb.append(total).append(" bad rows (more than --max-bad-rows ").append(options.maxBadRows())
                    .append("); nothing was written\n  by reason: ").append(byReason).append("\n  first rows:");
            for (BadRowSample s : samples) {
                sb.append("\n    ").append(s);
            }
            throw new ImportFailedException(sb.toString());
        }
    }

    private static int splitOf(BadRowSample s, Map<Integer, String> files) {
        return files.entrySet().stream().filter(e -> e.getValue().equals(s.file())).mapToInt(Map.Entry::getKey)
                .findFirst().orElse(0);
    }

    private static BadRowSample wrongTypeSample(Row r, Map<Integer, String> files, LineIndex lines,
                                                List<String> typeNames) {
        int split = r.getInt(r.fieldIndex("split"));
        boolean srcOk = r.getInt(r.fieldIndex("s_type")) == r.getInt(r.fieldIndex("src_type"));
        String side = srcOk ? "dst" : "src";
        String name = r.getString(r.fieldIndex(side));
        int actual = r.getInt(r.fieldIndex(srcOk ? "d_type" : "s_type"));
        int expected = r.getInt(r.fieldIndex(srcOk ? "dst_type" : "src_type"));
        String detail = side + " '" + name + "' is a " + typeNames.get(actual) + " (its type where it first "
                + "appears) but relation '" + r.getString(r.fieldIndex("rel")) + "' expects a "
                + typeNames.get(expected);
        return new BadRowSample(files.get(split),
                lines.line(split, r.getInt(r.fieldIndex("chunk")), r.getLong(r.fieldIndex("line"))),
                BadRowReason.WRONG_ENTITY_TYPE.key(), detail);
    }

    private static TesseraConfig withPartitionOverride(TesseraConfig config, Integer partitions) {
        if (partitions == null) {
            return config;
        }
        // Partitioned types get the new count; with no partitioned type, every type does.
        boolean anyPartitioned = config.entities().stream().anyMatch(e -> e.numPartitions() > 1);
        List<EntityTypeConfig> entities = config.entities().stream()
                .map(e -> new EntityTypeConfig(e.name(), !anyPartitioned || e.numPartitions() > 1 ? partitions : 1,
                        e.featurized(), e.dimension())).toList();
        return config.withEntities(entities);
    }

    /** Bits of the packed first-appearance key (see {@link #firstSeen}): split 2, chunk, line, side 1, type. */
    private static final int CHUNK_BITS = 17;
    private static final int LINE_BITS = 27;
    private static final int TYPE_BITS = 16;

    /**
     * Where an endpoint appears, packed in one long so "first appearance" is a min over fixed-width values:
     * split, chunk, line in chunk, side (0 src, 1 dst), and the type the relation gives it in the low bits.
     */
    private static Column firstSeen(int side, String typeColumn) {
        return col("split").cast("long").multiply(1L << CHUNK_BITS).plus(col("chunk"))
                .multiply(1L << LINE_BITS).plus(col("line")).multiply(2).plus(side)
                .multiply(1L << TYPE_BITS).plus(col(typeColumn));
    }

    /** The dictionary side of a join, broadcast when it has few enough entities (so the driver's heap is bounded). */
    private Dataset<Row> broadcastIfSmall(Dataset<Row> entities, long count) {
        return count <= options.broadcastEntityLimit() ? broadcast(entities) : entities;
    }

    private static void checkPositionsFit(LineIndex lines, java.util.Set<Integer> splits) {
        // Input partitions are tens of MB, so these limits mean files of terabytes; refuse rather than misorder.
        for (int s : splits) {
            if (lines.maxChunk(s) >= 1 << CHUNK_BITS || lines.maxChunkLines(s) >= 1L << LINE_BITS) {
                throw new ImportFailedException("input of split " + Split.values()[s].label() + " has more than "
                        + (1 << CHUNK_BITS) + " partitions or " + (1L << LINE_BITS) + " lines in one partition; "
                        + "split it into smaller files");
            }
        }
    }

    /** Adds relations found in the data to the declared ones (in name order), when the config asks for it. */
    private TesseraConfig withDiscoveredRelations(TesseraConfig config, Dataset<Row> good) {
        if (!config.discoverRelations()) {
            return config;
        }
        Set<String> declared = new HashSet<>();
        config.relations().forEach(r -> declared.add(r.name()));
        List<Row> names = good.select("rel").distinct().limit((int) MAX_DISCOVERED_RELATIONS + 1).collectAsList();
        if (names.size() > MAX_DISCOVERED_RELATIONS) {
            throw new ImportFailedException("more than " + MAX_DISCOVERED_RELATIONS + " distinct relation names; "
                    + "is the relation column right? (see --columns)");
        }
        TreeSet<String> found = new TreeSet<>();
        names.forEach(r -> found.add(r.getString(0)));
        found.removeAll(declared);
        List<RelationConfig> all = new ArrayList<>(config.relations());
        found.forEach(n -> all.add(config.discoveredRelation(n)));
        return config.withRelations(all);
    }

    /**
     * One row per entity: name, its 96-bit key ({@code k1}, {@code k2}: two hashes of the name), type (where
     * it first appears: train before valid before test, then by line), partition, dense offset inside
     * (type, partition), and its training out- and in-degree.
     *
     * <p>Endpoints are aggregated by {@link EntityKey}, not by name: a fixed-width key makes Spark's hash
     * aggregation much faster than one over strings. Each entity's name is then taken from the endpoint where
     * it first appears (a join on that position, a long).
     */
    private Dataset<Row> dictionary(Dataset<Row> good, TesseraConfig config) {
        Column isTrain = when(col("split").equalTo(Split.TRAIN.ordinal()), 1).otherwise(0);
        Dataset<Row> ends = good.select(col("src_k1").as("k1"), col("src_k2").as("k2"),
                        firstSeen(0, "src_type").as("first"), isTrain.as("out1"), lit(0).as("in1"))
                .union(good.select(col("dst_k1").as("k1"), col("dst_k2").as("k2"),
                        firstSeen(1, "dst_type").as("first"), lit(0).as("out1"), isTrain.as("in1")));
        Dataset<Row> stats = ends.groupBy("k1", "k2").agg(min("first").as("first"),
                sum("out1").cast("int").as("out_deg"), sum("in1").cast("int").as("in_deg"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long entityCount = stats.count();
        Dataset<Row> names = good.select(firstSeen(0, "src_type").as("n_first"), col("src").as("name"))
                .union(good.select(firstSeen(1, "dst_type").as("n_first"), col("dst").as("name")));
        Dataset<Row> ents = names.join(broadcastIfSmall(stats, entityCount), col("n_first").equalTo(col("first")))
                .select(col("name"), col("k1"), col("k2"),
                        pmod(col("first"), lit(1 << TYPE_BITS)).cast("int").as("type"), col("out_deg"),
                        col("in_deg"));
        int[] parts = config.entities().stream().mapToInt(EntityTypeConfig::numPartitions).toArray();
        Dataset<Row> withPart = switch (options.strategy()) {
            case HASH -> {
                UserDefinedFunction hash = udf((String name, Integer type) ->
                        PartitionStrategy.hashPartition(name, parts[type]), DataTypes.IntegerType);
                yield ents.withColumn("part", hash.apply(col("name"), col("type")));
            }
            case DEGREE_BALANCED -> {
                Column degree = col("out_deg").plus(col("in_deg"));
                long[][] headDegrees = new long[parts.length][];
                for (int t = 0; t < parts.length; t++) {
                    headDegrees[t] = ents.filter(col("type").equalTo(t)).orderBy(degree.desc(), col("name"))
                            .select(degree).limit(DegreeBalancedDealer.HEAD).collectAsList().stream()
                            .mapToLong(r -> r.getInt(0)).toArray();
                }
                DegreeBalancedDealer dealer = new DegreeBalancedDealer(parts, headDegrees);
                yield rankPartition(ents, new Column[] {col("type"), degree.desc(), col("name")},
                        (type, rank, count) -> dealer.partition(type, rank));
            }
            case LOCALITY -> rankPartition(withCommunities(ents, good),
                    new Column[] {col("type"), col("community"), col("name")},
                    (type, rank, count) -> PartitionStrategy.rangePartition(rank, count, parts[type]))
                    .drop("community");
        };
        return withPart.withColumn("offset",
                row_number().over(Window.partitionBy("type", "part").orderBy("name")).minus(1));
    }

    /**
     * Ranks entities within their type in the given order (a distributed sort and {@code zipWithIndex}),
     * then deals ranks to partitions: by degree for balancing, in contiguous ranges for locality.
     */
    /** Which partition the entity of a type at a rank (among {@code count} of its type) goes to. */
    interface RankDealer extends java.io.Serializable {
        int partition(int type, long rank, long count);
    }

    private Dataset<Row> rankPartition(Dataset<Row> ents, Column[] order, RankDealer dealer) {
        Map<Integer, Long> perType = new TreeMap<>();
        for (Row r : ents.groupBy("type").count().collectAsList()) {
            perType.put(r.getInt(0), r.getLong(1));
        }
        int types = perType.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        long[] start = new long[types];
        long[] count = new long[types];
        long acc = 0;
        for (int t = 0; t < types; t++) {
            start[t] = acc;
            count[t] = perType.getOrDefault(t, 0L);
            acc += count[t];
        }
        StructType schema = ents.schema().add("part", DataTypes.IntegerType, false);
        int typeIndex = ents.schema().fieldIndex("type");
        int width = ents.schema().size();
        JavaRDD<Row> ranked = ents.orderBy(order).javaRDD().zipWithIndex().map(t -> {
            Row r = t._1();
            int type = r.getInt(typeIndex);
            long rank = t._2() - start[type];
            int p = dealer.partition(type, rank, count[type]);
            Object[] values = new Object[width + 1];
            for (int i = 0; i < width; i++) {
                values[i] = r.get(i);
            }
            values[width] = p;
            return RowFactory.create(values);
        });
        return spark.createDataFrame(ranked, schema);
    }

    /** Adds each entity's community: GraphX label propagation over the training edges. */
    private Dataset<Row> withCommunities(Dataset<Row> ents, Dataset<Row> good) {
        return new CommunityDetection(spark).label(ents, good.filter(col("split").equalTo(Split.TRAIN.ordinal())));
    }

    private static long[][] entityCounts(Dataset<Row> entities, TesseraConfig config) {
        long[][] counts = new long[config.entities().size()][];
        for (int t = 0; t < counts.length; t++) {
            counts[t] = new long[config.entities().get(t).numPartitions()];
        }
        for (Row r : entities.groupBy("type", "part").count().collectAsList()) {
            counts[r.getInt(0)][r.getInt(1)] = r.getLong(2);
        }
        return counts;
    }

    /**
     * Edges with both ends' partition and offset, relation id, and whether each end's type fits the relation.
     * Ends match on the 64-bit half of the key when no two entities share it (checked: a single long key
     * makes the join's hash table much faster), else on the whole key.
     */
    private Dataset<Row> joinEntities(Dataset<Row> good, Dataset<Row> entities, Map<String, Integer> relationIds,
                                      long entityTotal) {
        boolean longKeyUnique = entities.groupBy("k1").count().filter(col("count").gt(1)).limit(1).count() == 0;
        Dataset<Row> ends = entities.select(col("k1").as("e_k1"), col("k2").as("e_k2"), col("type").as("e_type"),
                col("part").as("e_part"), col("offset").as("e_off"),
                col("out_deg").plus(col("in_deg")).gt(0).as("e_train"));
        ends = broadcastIfSmall(ends, entityTotal);
        List<Row> relationRows = new ArrayList<>();
        relationIds.forEach((name, id) -> relationRows.add(RowFactory.create(name, id)));
        Dataset<Row> relations = spark.createDataFrame(relationRows, new StructType()
                .add("r_name", DataTypes.StringType, false).add("rel_id", DataTypes.IntegerType, false));
        Dataset<Row> withSrc = renameEnds(good.join(broadcast(relations), col("rel").equalTo(col("r_name")))
                .join(ends, keyMatches("src", longKeyUnique)), "s_");
        return renameEnds(withSrc.join(ends, keyMatches("dst", longKeyUnique)), "d_")
                .withColumn("type_ok", col("s_type").equalTo(col("src_type")).and(col("d_type").equalTo(col("dst_type"))));
    }

    private static Column keyMatches(String side, boolean longKeyUnique) {
        Column k1 = col(side + "_k1").equalTo(col("e_k1"));
        return longKeyUnique ? k1 : k1.and(col(side + "_k2").equalTo(col("e_k2")));
    }

    private static Dataset<Row> renameEnds(Dataset<Row> joined, String prefix) {
        return joined.drop("e_k1", "e_k2").withColumnRenamed("e_type", prefix + "type").withColumnRenamed("e_part", prefix + "part")
                .withColumnRenamed("e_off", prefix + "off").withColumnRenamed("e_train", prefix + "train");
    }

    /** Whether an entity name could be used as two types: only when relations involve more than one type. */
    private static boolean typesCanConflict(TesseraConfig config) {
        Set<String> types = new HashSet<>();
        for (RelationConfig r : config.relations()) {
            types.add(r.lhs());
            types.add(r.rhs());
        }
        if (config.discoverRelations()) {
            RelationConfig t = config.discoveredRelation("(template)");
            types.add(t.lhs());
            types.add(t.rhs());
        }
        return types.size() > 1;
    }

    /**
     * Writes the edges as per-bucket SST files. With few buckets each task writes its share of every bucket
     * straight from the join, with no shuffle; with many, edges are first grouped by bucket so a task keeps
     * one file open at a time (and a bucket is spread over several tasks by a salt).
     */
    private List<WrittenFile> writeEdges(Dataset<Row> joined, Path sstDir, boolean weighted, int partitions,
                                         long edgeCount) {
        Dataset<Row> rows = joined.select(col("split"), col("s_part"), col("d_part"), col("rel_id"), col("s_off"),
                col("d_off"), col("weight"), col("s_train").and(col("d_train")).as("seen"));
        long buckets = (long) partitions * partitions * options.inputs().size();
        if (buckets > MAX_OPEN_BUCKET_FILES) {
            int tasks = (int) Math.max(spark.sparkContext().defaultParallelism(),
                    Math.min(4000, edgeCount / EDGES_PER_TASK + 1));
            int spread = Math.max(1, (int) Math.ceil((double) tasks / ((long) partitions * partitions)));
            rows = rows.withColumn("salt", pmod(xxhash64(col("s_off"), col("d_off"), col("rel_id")), lit(spread)))
                    .repartition(tasks, col("split"), col("s_part"), col("d_part"), col("salt"))
                    .sortWithinPartitions("split", "s_part", "d_part");
        }
        String dir = sstDir.toString();
        int maxOpen = MAX_OPEN_BUCKET_FILES;
        Function2<Integer, Iterator<Row>, Iterator<WrittenFile>> write = (task, it) -> {
            try (BucketWriters w = new BucketWriters(Path.of(dir), task, weighted, EdgeBlock.DEFAULT_SIZE, maxOpen)) {
                while (it.hasNext()) {
                    Row r = it.next();
                    w.add(Split.values()[r.getInt(0)], r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4),
                            r.getInt(5), r.getFloat(6), !r.getBoolean(7));
                }
                return w.finish().stream().map(WrittenFile::edges).toList().iterator();
            }
        };
        return rows.javaRDD().mapPartitionsWithIndex(write, false).collect();
    }

    /** Both directions of the dictionary and the degree blocks, as SST files. */
    private List<WrittenFile> writeDictionary(Dataset<Row> entities, Path sstDir) {
        String dir = sstDir.toString();
        int tasks = spark.sparkContext().defaultParallelism();
        Dataset<Row> byName = entities.select("name", "type", "part", "offset")
                .repartitionByRange(tasks, col("name")).sortWithinPartitions("name");
        Function2<Integer, Iterator<Row>, Iterator<WrittenFile>> writeIndex = (task, rows) -> {
            try (SortedSstWriter w = new SortedSstWriter(Path.of(dir, "entities-" + task + ".sst"))) {
                while (rows.hasNext()) {
                    Row r = rows.next();
                    w.put(Keys.entity(r.getString(0)), new EntityRef(r.getInt(1), r.getInt(2), r.getInt(3)).encode());
                }
                Path f = w.finish();
                return (f == null ? List.<WrittenFile>of() : List.of(WrittenFile.of(Family.ENTITIES, f))).iterator();
            }
        };
        List<WrittenFile> out = new ArrayList<>(byName.javaRDD().mapPartitionsWithIndex(writeIndex, false).collect());

        Dataset<Row> byOffset = entities.select("type", "part", "offset", "name", "out_deg", "in_deg")
                .repartition(tasks, col("type"), col("part")).sortWithinPartitions("type", "part", "offset");
        Function2<Integer, Iterator<Row>, Iterator<WrittenFile>> writeParts = (task, rows) -> {
            List<WrittenFile> files = new ArrayList<>();
            PartitionDictionaryWriter w = null;
            int type = -1;
            int part = -1;
            try {
                while (rows.hasNext()) {
                    Row r = rows.next();
                    if (w == null || r.getInt(0) != type || r.getInt(1) != part) {
                        if (w != null) {
                            addDictionaryFiles(files, w.finish());
                            w.close();
                        }
                        type = r.getInt(0);
                        part = r.getInt(1);
                        w = new PartitionDictionaryWriter(Path.of(dir, "names-" + type + "-" + part + ".sst"),
                                Path.of(dir, "degrees-" + type + "-" + part + ".sst"), type, part);
                    }
                    w.add(r.getInt(2), r.getString(3), r.getInt(4), r.getInt(5));
                }
                if (w != null) {
                    addDictionaryFiles(files, w.finish());
                }
            } finally {
                if (w != null) {
                    w.close();
                }
            }
            return files.iterator();
        };
        out.addAll(byOffset.javaRDD().mapPartitionsWithIndex(writeParts, false).collect());
        return out;
    }

    private static void addDictionaryFiles(List<WrittenFile> files, List<Path> namesAndDegrees) {
        if (namesAndDegrees.get(0) != null) {
            files.add(WrittenFile.of(Family.NAMES, namesAndDegrees.get(0)));
        }
        if (namesAndDegrees.get(1) != null) {
            files.add(WrittenFile.of(Family.DEGREES, namesAndDegrees.get(1)));
        }
    }

    /** Largest training bucket over the mean of non-empty ones: 1.0 is perfectly even. */
    private static double bucketImbalance(long[][] counts) {
        long max = 0;
        long sum = 0;
        int n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                if (c > 0) {
                    max = Math.max(max, c);
                    sum += c;
                    n++;
                }
            }
        }
        return n == 0 ? 0 : max / ((double) sum / n);
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
