package dev.tessera.jobs;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.util.Json;
import dev.tessera.partitioner.InputFormat;
import dev.tessera.partitioner.MappedEdge;
import dev.tessera.partitioner.NodeChunk;
import dev.tessera.partitioner.ParsedChunk;
import dev.tessera.partitioner.RelationCatalog;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.GraphStore;
import dev.tessera.storage.Split;
import dev.tessera.storage.StagedDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports edge files into a graph directory (DESIGN.md §3.1): parse and check every row, build the entity
 * dictionary, assign partitions, resolve edges to buckets, write sorted SST files in Spark tasks and ingest
 * them. The driver only ever holds small aggregates (counts, the first bad rows, file lists, and a compact
 * dictionary index when it has at most {@code broadcastEntityLimit} entities), never edges; the graph
 * directory appears by one rename when everything is in it.
 *
 * <p>Run from the CLI ({@code bin/tessera import}) or with
 * {@code spark-submit --class dev.tessera.jobs.ImportJob tessera-jobs.jar --config C --edges E --out G}.
 * On a cluster the output's parent directory must be on a filesystem the executors share with the
 * driver: tasks write their SST files there.
 */
public final class ImportJob {
    private static final Logger LOG = LoggerFactory.getLogger(ImportJob.class);
    static final int BAD_ROW_SAMPLES = 10;
    private static final int MAX_DISCOVERED_RELATIONS = 100_000;

    private final SparkSession spark;
    private final JavaSparkContext jsc;
    private final ImportOptions options;
    private final SparkProgress progress;

    public ImportJob(SparkSession spark, ImportOptions options, SparkProgress progress) {
        this.spark = spark;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.options = options;
        this.progress = progress;
    }

    /** The spark-submit entry point: the same arguments as {@code bin/tessera import}, but {@code --master}. */
    public static void main(String[] args) {
        ImportArguments arguments = new ImportArguments();
        JobMain.run(
                "ImportJob",
                "Imports edge files (TSV, CSV, Parquet) into a partitioned graph directory.",
                arguments,
                args,
                () -> {
                    LOG.info("import finished: {}", Json.write(run(arguments.toOptions(), null, null)));
                    return null;
                });
    }

    /**
     * Runs an import on the active Spark session or one of its own ({@code master} null: spark-submit's,
     * else {@code local[*]}); progress goes to {@code progress} when it is not null, and its line ends before
     * the report returns.
     */
    public static Map<String, Object> run(ImportOptions options, String master, PrintStream progress) {
        return TesseraSpark.withSession(master, spark -> {
            try (SparkProgress p = SparkProgress.on(spark, progress)) {
                return new ImportJob(spark, options, p).run();
            }
        });
    }

    /** Runs the import; returns the report that {@code --json} prints. */
    public Map<String, Object> run() {
        long started = System.nanoTime();
        TesseraConfig config = withPartitionOverride(ConfigLoader.load(options.config()), options.partitions());
        int partitions = config.entities().stream()
                .mapToInt(EntityTypeConfig::numPartitions)
                .max()
                .orElse(1);
        int parallelism = spark.sparkContext().defaultParallelism();
        try (StagedDirectory staged = StagedDirectory.begin(options.out(), options.overwrite())) {
            Path sstDir = Files.createDirectories(staged.staging().resolve("sst"));

            progress.phase("reading and checking rows");
            ChunkReader reader = new ChunkReader(spark, new RelationCatalog(config), options.columns());
            JavaRDD<ParsedChunk> chunks = null;
            boolean weighted = false;
            Map<Integer, String> files = new HashMap<>();
            Map<Integer, Integer> headers = new HashMap<>();
            for (Map.Entry<Split, String> in : options.inputs().entrySet()) {
                InputFormat format = options.format() != null ? options.format() : InputFormat.guess(in.getValue());
                ChunkReader.Chunks c = reader.read(in.getKey(), in.getValue(), format);
                chunks = chunks == null ? c.rdd() : chunks.union(c.rdd());
                weighted |= c.weighted();
                files.put(in.getKey().ordinal(), in.getValue());
                headers.put(in.getKey().ordinal(), c.headerLines());
            }
            chunks = chunks.persist(StorageLevel.MEMORY_AND_DISK());
            List<ChunkSummary> summaries = chunks.map(ChunkSummary::of).collect();
            JavaRDD<NodeChunk> nodes = null;
            List<ChunkSummary> checked = new ArrayList<>(summaries);
            if (options.nodes() != null) {
                nodes = readNodes(options.nodes(), config);
                checked.addAll(nodes.map(ChunkSummary::of).collect());
                files.put(NodeChunk.SPLIT, options.nodes());
            }
            LineIndex lines = new LineIndex(checked);
            BadRows bad = new BadRows(files, lines);
            checked.forEach(bad::add);
            bad.check(options.maxBadRows());
            Map<Split, Long> inputRows = new EnumMap<>(Split.class);
            headers.forEach((s, headerLines) -> inputRows.put(Split.values()[s], lines.lines(s) - headerLines));
            long badEdgeRows = summaries.stream()
                    .flatMapToLong(c -> LongStream.of(c.badCounts()))
                    .sum();
            long goodRows =
                    inputRows.values().stream().mapToLong(Long::longValue).sum() - badEdgeRows;

            progress.phase("resolving relations");
            config = withDiscoveredRelations(config, summaries);
            Map<String, Integer> relationIds = new HashMap<>();
            int[] lhsType = new int[config.relations().size()];
            int[] rhsType = new int[config.relations().size()];
            for (int i = 0; i < config.relations().size(); i++) {
                RelationConfig r = config.relations().get(i);
                relationIds.put(r.name(), i);
                lhsType[i] = config.entityTypeId(r.lhs());
                rhsType[i] = config.entityTypeId(r.rhs());
            }

            progress.phase("building the dictionary");
            int[] parts = config.entities().stream()
                    .mapToInt(EntityTypeConfig::numPartitions)
                    .toArray();
            EntityDictionary dictionary =
                    EntityDictionary.build(chunks, nodes, parts, options.strategy(), Math.max(parallelism, (int)
                            Math.min(2000, goodRows / 2_000_000 + 1)));
            long entityTotal = dictionary.total();

            progress.phase("writing edge buckets");
            EdgeMapper mapper = new EdgeMapper(relationIds, lhsType, rhsType);
            JavaRDD<MappedEdge> mapped = entityTotal <= options.broadcastEntityLimit()
                    ? mapper.broadcast(chunks, dictionary.index(), jsc)
                    : mapper.join(chunks, dictionary.entities(), Math.max(parallelism, chunks.getNumPartitions()));
            List<EdgeWriter.TaskResult> results = EdgeWriter.write(
                    mapped, sstDir, weighted, partitions, options.inputs().size(), goodRows, parallelism);
            List<WrittenFile> written = new ArrayList<>();
            List<MappedEdge> wrongSamples = new ArrayList<>();
            long wrongType = 0;
            for (EdgeWriter.TaskResult r : results) {
                written.addAll(r.files());
                wrongType += r.wrongType();
                wrongSamples.addAll(r.wrongSamples());
            }
            if (wrongType > 0) {
                bad.addWrongType(wrongType, wrongSamples, config, dictionary);
                bad.check(options.maxBadRows());
            }

            progress.phase("writing the dictionary");
            written.addAll(dictionary.writeSsts(sstDir));

            progress.phase("ingesting into RocksDB");
            Map<Split, long[][]> edgeCounts = new EnumMap<>(Split.class);
            Map<Split, Long> unseen = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                edgeCounts.put(s, new long[partitions][partitions]);
            }
            Map<WrittenFile.Kind, List<Path>> byKind = new EnumMap<>(WrittenFile.Kind.class);
            for (WrittenFile.Kind k : WrittenFile.Kind.values()) {
                byKind.put(k, new ArrayList<>());
            }
            for (WrittenFile f : written) {
                byKind.get(f.kind()).add(Path.of(f.path()));
                if (f.kind() == WrittenFile.Kind.EDGES) {
                    Split s = Split.values()[f.split()];
                    edgeCounts.get(s)[f.lhsPart()][f.rhsPart()] += f.edges();
                    unseen.merge(s, f.unseenInTrain(), Long::sum);
                }
            }
            Map<String, long[]> counts = new LinkedHashMap<>();
            for (int t = 0; t < config.entities().size(); t++) {
                counts.put(config.entities().get(t).name(), dictionary.counts()[t]);
            }
            Map<String, Object> report;
            try (GraphStore store = GraphStore.create(staged.staging())) {
                store.ingestEntities(byKind.get(WrittenFile.Kind.ENTITIES));
                store.ingestPartitionDictionaries(
                        byKind.get(WrittenFile.Kind.NAMES), byKind.get(WrittenFile.Kind.DEGREES));
                store.ingestEdges(byKind.get(WrittenFile.Kind.EDGES));
                double seconds = (System.nanoTime() - started) / 1e9;
                GraphMeta draft = new GraphMeta(config, partitions, counts, edgeCounts, Map.of());
                report = report(staged.target(), draft, config, bad, inputRows, unseen, seconds);
                if (nodes != null) {
                    report.put("nodes", nodeReport(lines.lines(NodeChunk.SPLIT), dictionary));
                }
                store.writeMeta(new GraphMeta(config, partitions, counts, edgeCounts, report));
                store.flush();
            }
            StagedDirectory.deleteTree(sstDir);
            // Blocking: a removal still running when the session stops has its reply rejected by the
            // stopped thread pool, which prints a stack trace at the end of a successful import.
            chunks.unpersist(true);
            if (nodes != null) {
                nodes.unpersist(true);
            }
            dictionary.entities().unpersist(true);
            staged.commit();
            return report;
        } catch (IOException e) {
            throw new ImportFailedException("cannot write under " + options.out() + ": " + e.getMessage());
        }
    }

    private Map<String, Object> report(
            Path target,
            GraphMeta draft,
            TesseraConfig config,
            BadRows bad,
            Map<Split, Long> inputRows,
            Map<Split, Long> unseen,
            double seconds) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("graph", target.toString());
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
        long totalInput = inputRows.values().stream().mapToLong(Long::longValue).sum();
        report.put("edges", edges);
        report.put("relations", config.relations().size());
        report.put("partitions", draft.numPartitions());
        report.put("buckets", draft.nonEmptyBuckets(Split.TRAIN));
        report.put("strategy", options.strategy().label());
        report.put("diagonal_fraction", round(draft.diagonalFraction(Split.TRAIN)));
        report.put("bucket_imbalance", round(draft.bucketImbalance(Split.TRAIN)));
        report.put("bad_rows", bad.report());
        report.put("unseen_in_train", unseenReport);
        report.put("input_rows", totalInput);
        report.put("seconds", round(seconds));
        report.put("edges_per_s", Math.round(totalInput / Math.max(seconds, 1e-9)));
        return report;
    }

    /** The node file's chunks, parsed against the config's entity types. */
    private JavaRDD<NodeChunk> readNodes(String path, TesseraConfig config) {
        List<String> types = new ArrayList<>(
                config.entities().stream().map(EntityTypeConfig::name).toList());
        JavaRDD<String> text = jsc.textFile(path);
        if (text.getNumPartitions() >= 1 << ParsedChunk.CHUNK_BITS) {
            throw new ImportFailedException(path + ": " + text.getNumPartitions() + " input partitions, more than "
                    + (1 << ParsedChunk.CHUNK_BITS) + "; split the node file into several files");
        }
        return text.mapPartitionsWithIndex(
                        (chunk, it) ->
                                List.of(NodeChunk.parse(chunk, it, types)).iterator(),
                        true)
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** The node file's lines, and how many entities no training edge touches (their embeddings stay as drawn). */
    private static Map<String, Object> nodeReport(long lines, EntityDictionary dictionary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lines", lines);
        m.put(
                "entities_without_training_edges",
                dictionary.entities().filter(r -> !r.trained()).count());
        return m;
    }

    private static TesseraConfig withPartitionOverride(TesseraConfig config, Integer partitions) {
        if (partitions == null) {
            return config;
        }
        // Partitioned types get the new count; with no partitioned type, every type does.
        boolean anyPartitioned = config.entities().stream().anyMatch(e -> e.numPartitions() > 1);
        List<EntityTypeConfig> entities = config.entities().stream()
                .map(e -> new EntityTypeConfig(
                        e.name(), !anyPartitioned || e.numPartitions() > 1 ? partitions : 1, e.featurized()))
                .toList();
        return config.withEntities(entities);
    }

    /** Adds relations found in the data to the declared ones (in name order), when the config asks for it. */
    private static TesseraConfig withDiscoveredRelations(TesseraConfig config, List<ChunkSummary> summaries) {
        if (!config.discoverRelations()) {
            return config;
        }
        Set<String> declared = new HashSet<>();
        config.relations().forEach(r -> declared.add(r.name()));
        TreeSet<String> found = new TreeSet<>();
        summaries.forEach(s -> found.addAll(s.relations()));
        found.removeAll(declared);
        if (found.size() > MAX_DISCOVERED_RELATIONS) {
            throw new ImportFailedException("more than " + MAX_DISCOVERED_RELATIONS + " distinct relation names; "
                    + "is the relation column right? (see --columns)");
        }
        List<RelationConfig> all = new ArrayList<>(config.relations());
        found.forEach(n -> all.add(config.discoveredRelation(n)));
        return config.withRelations(all);
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
