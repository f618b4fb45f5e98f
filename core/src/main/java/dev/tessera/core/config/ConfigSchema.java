package dev.tessera.core.config;

import static dev.tessera.core.config.ConfigKey.bool;
import static dev.tessera.core.config.ConfigKey.choice;
import static dev.tessera.core.config.ConfigKey.integer;
import static dev.tessera.core.config.ConfigKey.integers;
import static dev.tessera.core.config.ConfigKey.number;
import static dev.tessera.core.config.ConfigKey.string;
import static dev.tessera.core.config.ConfigKey.structure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key a Tessera config may hold, in three scopes of the training config (the top level, one entity type,
 * one relation) and the GCN config, a file of its own. Names follow PyTorch-BigGraph where the concept exists
 * there, so a PBG config ports by reading it. Each key is a constant so that the loader, the typed views built on
 * its values ({@link TesseraConfig}, the gcn module's GcnSettings) and the reference name it through one spelling.
 */
public final class ConfigSchema {
    private ConfigSchema() {}

    // ---------------------------------------------------------------- one entity type

    public static final ConfigKey NUM_PARTITIONS = integer(
            "num_partitions",
            1,
            Range.between(1, 32_768),
            "How many partitions this type's entities are split into; P partitions give P×P edge buckets.");
    public static final ConfigKey FEATURIZED = bool(
            "featurized",
            false,
            "Whether an entity's embedding is the mean of its feature embeddings (PBG's featurized entities), "
                    + "weighted by the feature values imported with `bin/tessera features`. A training config "
                    + "may switch it per type; partitioning stays as imported.");

    public static final List<ConfigKey> ENTITY = List.of(NUM_PARTITIONS, FEATURIZED);

    // ---------------------------------------------------------------- one relation

    public static final ConfigKey NAME =
            string("name", null, true, "The relation's name as it appears in the edge files.");
    public static final ConfigKey LHS = string("lhs", null, true, "Entity type of the source (left-hand side) column.");
    public static final ConfigKey RHS =
            string("rhs", null, true, "Entity type of the destination (right-hand side) column.");
    public static final ConfigKey OPERATOR = choice(
            "operator", OperatorName.NONE, OperatorName.class, "Operator applied to the right-hand side embedding.");
    public static final ConfigKey WEIGHT = number("weight", 1.0, Range.above(0), "Multiplier of this relation's loss.");
    public static final ConfigKey ALL_NEGS =
            bool("all_negs", false, "Score every entity of the partition as a negative instead of sampling.");

    public static final List<ConfigKey> RELATION = List.of(NAME, LHS, RHS, OPERATOR, WEIGHT, ALL_NEGS);

    // ---------------------------------------------------------------- the top level

    public static final ConfigKey ENTITIES = structure(
            "entities", ConfigKey.Kind.ENTITY_MAP, true, "Entity types: name → settings (see the entity keys below).");
    public static final ConfigKey RELATIONS = structure(
            "relations",
            ConfigKey.Kind.RELATION_LIST,
            false,
            "Relation types (see the relation keys below). May be empty when `discover_relations` is on.");
    public static final ConfigKey DISCOVER_RELATIONS = bool(
            "discover_relations",
            false,
            "Create a relation for every relation name found in the training edges, from `relation_template`.");
    public static final ConfigKey RELATION_TEMPLATE = structure(
            "relation_template",
            ConfigKey.Kind.RELATION_TEMPLATE,
            false,
            "Settings of discovered relations (`lhs`, `rhs`, `operator`, ...); `lhs`/`rhs` default to the "
                    + "only entity type when there is one.");
    public static final ConfigKey DIMENSION =
            integer("dimension", 100, Range.between(1, 65_536), "Embedding dimension.");
    public static final ConfigKey COMPARATOR = choice(
            "comparator",
            ComparatorName.COS,
            ComparatorName.class,
            "How a left-hand and a transformed right-hand embedding are compared.");
    public static final ConfigKey LOSS_FN =
            choice("loss_fn", LossName.RANKING, LossName.class, "Loss over positive and negative scores.");
    public static final ConfigKey MARGIN =
            number("margin", 0.1, Range.atLeast(0), "Margin of the ranking loss; γ of the `self_adversarial` loss.");
    public static final ConfigKey ADVERSARIAL_TEMPERATURE = number(
            "adversarial_temperature",
            1.0,
            Range.above(0),
            "Temperature α of the `self_adversarial` loss: each negative weighs softmax(α · its score) among its "
                    + "positive's negatives; `margin` is its γ.");
    public static final ConfigKey NUM_BATCH_NEGS =
            integer("num_batch_negs", 50, Range.atLeast(0), "Negatives taken from the other edges of the same chunk.");
    public static final ConfigKey NUM_UNIFORM_NEGS =
            integer("num_uniform_negs", 50, Range.atLeast(0), "Negatives drawn uniformly from the active partition.");
    public static final ConfigKey NUM_DEGREE_NEGS = integer(
            "num_degree_negs",
            0,
            Range.atLeast(0),
            "Negatives drawn from the active partition with probability ∝ degree^degree_negs_exponent.");
    public static final ConfigKey DEGREE_NEGS_EXPONENT = number(
            "degree_negs_exponent",
            0.75,
            Range.atLeast(0),
            "Exponent of the degree-weighted negatives (word2vec's 0.75).");
    public static final ConfigKey BUCKET_ORDER = choice(
            "bucket_order",
            BucketOrderName.INSIDE_OUT,
            BucketOrderName.class,
            "Order in which the P×P buckets are trained.");
    public static final ConfigKey NUM_EPOCHS =
            integer("num_epochs", 1, Range.between(1, 1_000_000), "Passes over the training edges.");
    public static final ConfigKey BATCH_SIZE =
            integer("batch_size", 1000, Range.between(1, 100_000_000), "Edges per training batch.");
    public static final ConfigKey LR =
            number("lr", 0.01, Range.above(0), "Learning rate of the embeddings (row-wise Adagrad).");
    public static final ConfigKey OPTIMIZER_STEP = choice(
            "optimizer_step",
            OptimizerStepName.CHUNK,
            OptimizerStepName.class,
            "When the optimizers step: after every chunk, or once per batch on the gradients summed over "
                    + "its chunks, as PyTorch-BigGraph does.");
    public static final ConfigKey RELATION_LR =
            number("relation_lr", null, Range.above(0), "Learning rate of relation parameters; defaults to `lr`.");
    public static final ConfigKey WORKERS =
            integer("workers", null, Range.between(1, 4096), "Hogwild worker threads; defaults to one per core.");
    public static final ConfigKey INIT_SCALE =
            number("init_scale", 1e-3, Range.above(0), "Standard deviation of the initial embeddings.");
    public static final ConfigKey MAX_NORM =
            number("max_norm", null, Range.above(0), "Clip embeddings to this L2 norm; unset means no clipping.");
    public static final ConfigKey GLOBAL_EMB =
            bool("global_emb", true, "Add a learned global embedding per entity type.");
    public static final ConfigKey BIAS =
            bool("bias", false, "Use the first embedding coordinate as a bias in the comparator.");
    public static final ConfigKey REGULARIZATION_COEF =
            number("regularization_coef", 0.0, Range.atLeast(0), "Weight of the regularizer.");
    public static final ConfigKey REGULARIZER = choice(
            "regularizer",
            RegularizerName.N3,
            RegularizerName.class,
            "Regularizer applied when `regularization_coef` > 0.");
    public static final ConfigKey TRAINING_MODE = choice(
            "training_mode",
            TrainingModeName.CHUNKED,
            TrainingModeName.class,
            "`chunked`: PyTorch-BigGraph's chunks of `num_batch_negs` positives sharing sampled candidates "
                    + "(relations with `all_negs` score every entity, a chunk at a time). `1_vs_all`: each "
                    + "batch of `batch_size` positives is scored against every entity of its partitions on both "
                    + "sides, one product per side, as the published link-prediction results train; needs "
                    + "`dynamic_relations` and entity types that are not featurized, and holds about "
                    + "`8M + 6 × rows × dimension` floats per worker for partitions of `rows` entities. "
                    + "`k_vs_all`: the same loss, each side trained in its own batches of whole queries: the "
                    + "positives that share a (head, relation) or (relation, tail) are scored from one row, each "
                    + "with its own loss term, so a query's product is computed once, not once per positive.");
    public static final ConfigKey DROPOUT = number(
            "dropout",
            0.0,
            Range.halfOpen(0, 1),
            "Fraction of each query embedding's coordinates zeroed in training (the rest scaled by "
                    + "1/(1-dropout)); `1_vs_all` and `k_vs_all` only.");
    public static final ConfigKey DYNAMIC_RELATIONS = bool(
            "dynamic_relations",
            false,
            "Train each relation also in reverse with its own parameters (reciprocal relations); chunks "
                    + "then mix relations of the same entity types, as PBG's batches do.");
    public static final ConfigKey SUBSAMPLING_WEIGHTS = bool(
            "subsampling_weights",
            false,
            "RotatE's count-based subsampling: each training edge (h, r, t) weighs 1/√(n(h, r) + n(r, t) + 6), n "
                    + "counting the training edges that ask the same query, scaled to average 1 and multiplied by "
                    + "the edge's own weight, so queries with many answers do not dominate the loss. Counted over "
                    + "every training bucket when training starts (16 bytes of heap a training edge while counting, at most 12 "
                    + "after).");
    public static final ConfigKey EVAL_FRACTION = number(
            "eval_fraction",
            0.05,
            Range.halfOpen(0, 1),
            "Fraction of training edges held out for evaluation during training.");
    public static final ConfigKey VALIDATE_EVERY = integer(
            "validate_every",
            0,
            Range.atLeast(0),
            "Every this many epochs, rank the graph's valid split against every entity (filtered, both sides) and "
                    + "record its MRR as `valid_mrr` in the checkpoint's history and `report.html`; 0: never. "
                    + "Drives `lr_decay` and `early_stopping_patience`. Single-machine training only.");
    public static final ConfigKey LR_DECAY = number(
            "lr_decay",
            1.0,
            new Range(0, false, 1, true),
            "Reduce-on-plateau: after `lr_patience` validations without a new best `valid_mrr`, multiply the "
                    + "learning rates by this; 1: keep them.");
    public static final ConfigKey LR_PATIENCE =
            integer("lr_patience", 2, Range.atLeast(1), "Validations without improvement before `lr_decay` applies.");
    public static final ConfigKey EARLY_STOPPING_PATIENCE = integer(
            "early_stopping_patience",
            0,
            Range.atLeast(0),
            "Stop training after this many validations without a new best `valid_mrr`; 0: train every epoch.");
    public static final ConfigKey KEEP_BEST = bool(
            "keep_best",
            true,
            "With `validate_every`: the run ends on the checkpoint whose `valid_mrr` was highest (its data stays on "
                    + "disk while later epochs train: at most one more copy of the model); false: on the last "
                    + "epoch's. The history and `report.html` keep every epoch either way.");
    public static final ConfigKey TIME_BUDGET_MINUTES = number(
            "time_budget_minutes",
            0.0,
            Range.atLeast(0),
            "Stop before the run's training and validation time (summed over resumed runs) would pass this many "
                    + "minutes: the run decides after each validation (each epoch without `validate_every`) "
                    + "whether the next epochs up to and including the next validation still fit, from the mean "
                    + "times so far, and ends on its best validated model as at any other end; 0: no budget.");
    public static final ConfigKey PARTITION_BUFFER = integer(
            "partition_buffer",
            2,
            Range.between(2, 32_768),
            "Partitions the trainer keeps in memory at once (the swap buffer), including one being "
                    + "written back. With 2, a swap waits for the write-back; with more, the next "
                    + "bucket's partitions load while the current one trains.");
    public static final ConfigKey BACKEND = choice(
            "backend",
            BackendName.OPENBLAS,
            BackendName.class,
            "Implementation of the dense products: `openblas` (SGEMM on the Java arrays in place; the fastest here, "
                    + "see docs/benchmarks.md), `nd4j` (ND4J's native backend; needs the tessera-nd4j module on the "
                    + "classpath, which `bin/tessera` has) or `java` (plain Java loops, no native code).");
    public static final ConfigKey SEED =
            integer("seed", 0, Range.atLeast(0), "Seed of every random choice (sampling, initialisation, orders).");

    public static final List<ConfigKey> TOP = List.of(
            ENTITIES,
            RELATIONS,
            DISCOVER_RELATIONS,
            RELATION_TEMPLATE,
            DIMENSION,
            COMPARATOR,
            LOSS_FN,
            MARGIN,
            ADVERSARIAL_TEMPERATURE,
            NUM_BATCH_NEGS,
            NUM_UNIFORM_NEGS,
            NUM_DEGREE_NEGS,
            DEGREE_NEGS_EXPONENT,
            BUCKET_ORDER,
            NUM_EPOCHS,
            BATCH_SIZE,
            LR,
            OPTIMIZER_STEP,
            RELATION_LR,
            WORKERS,
            INIT_SCALE,
            MAX_NORM,
            GLOBAL_EMB,
            BIAS,
            REGULARIZATION_COEF,
            REGULARIZER,
            DYNAMIC_RELATIONS,
            TRAINING_MODE,
            DROPOUT,
            SUBSAMPLING_WEIGHTS,
            EVAL_FRACTION,
            VALIDATE_EVERY,
            LR_DECAY,
            LR_PATIENCE,
            EARLY_STOPPING_PATIENCE,
            KEEP_BEST,
            TIME_BUDGET_MINUTES,
            PARTITION_BUFFER,
            BACKEND,
            SEED);

    // ---------------------------------------------------------------- the GCN config (its own file)

    public static final ConfigKey GCN_LAYERS =
            integer("layers", 2, Range.atLeast(1), "Graph convolution layers; the last one outputs the class scores.");
    public static final ConfigKey GCN_HIDDEN = integer("hidden", 16, Range.atLeast(1), "Units of each hidden layer.");
    public static final ConfigKey GCN_DROPOUT =
            number("dropout", 0.5, Range.halfOpen(0, 1), "Dropout rate of each layer's input.");
    public static final ConfigKey GCN_LEARNING_RATE =
            number("learning_rate", 0.01, Range.above(0), "Adam's learning rate.");
    public static final ConfigKey GCN_WEIGHT_DECAY = number(
            "weight_decay",
            5e-4,
            Range.atLeast(0),
            "L2 weight decay (added to the gradient, as PyTorch's Adam does), of the first layer only unless "
                    + "`weight_decay_all_layers`.");
    public static final ConfigKey GCN_WEIGHT_DECAY_ALL_LAYERS = bool(
            "weight_decay_all_layers",
            false,
            "Decay every layer, not only the first (Kipf & Welling's code decays only the first).");
    public static final ConfigKey GCN_EPOCHS =
            integer("epochs", 200, Range.atLeast(1), "Training epochs; `--epochs` overrides it.");
    public static final ConfigKey GCN_NORMALIZE_FEATURES =
            bool("normalize_features", true, "Scale every node's feature row to sum 1, as Kipf & Welling do.");
    public static final ConfigKey GCN_RENUMBER_NODES = bool(
            "renumber_nodes",
            true,
            "Full-batch training numbers the nodes in breadth-first order before building `Â`, so that a node's "
                    + "neighbours sit near it and the sparse products read `H` from cache (measured in docs/"
                    + "benchmarks.md, GCN); false keeps the stored order. Results are the same up to "
                    + "float rounding and dropout draws.");
    public static final ConfigKey GCN_FANOUTS = integers(
            "fanouts",
            List.of(25, 10),
            Range.atLeast(1),
            "Neighbours sampled per layer in mini-batch training (`--mini-batch`), input layer first; one entry "
                    + "per layer. Unset: GraphSAGE's 25, 10, deeper models repeating the last.");
    public static final ConfigKey GCN_BATCH_SIZE =
            integer("batch_size", 512, Range.atLeast(1), "Training nodes per mini-batch (`--mini-batch`).");

    /**
     * Kipf &amp; Welling's Cora setup: 2 layers, 16 hidden units, dropout 0.5, Adam at 0.01, weight decay 5e-4 on
     * the first layer, 200 epochs, row-normalised features; GraphSAGE's fan-outs for mini-batches.
     */
    public static final List<ConfigKey> GCN = List.of(
            GCN_LAYERS,
            GCN_HIDDEN,
            GCN_DROPOUT,
            GCN_LEARNING_RATE,
            GCN_WEIGHT_DECAY,
            GCN_WEIGHT_DECAY_ALL_LAYERS,
            GCN_EPOCHS,
            GCN_NORMALIZE_FEATURES,
            GCN_RENUMBER_NODES,
            GCN_FANOUTS,
            GCN_BATCH_SIZE);

    // ---------------------------------------------------------------- retired keys

    /**
     * Top-level keys that nothing read and that were removed: a config that sets them is refused as any unknown
     * key is. Graphs and checkpoints store their config with every default written out, so those written before
     * the removal hold them; {@link ConfigLoader#parseStored} drops them there.
     */
    static final List<String> RETIRED_TOP = List.of("eval_num_batch_negs", "eval_num_uniform_negs");

    /** Entity-type keys removed the same way ({@link #RETIRED_TOP}): a per-type dimension nothing applied. */
    static final List<String> RETIRED_ENTITY = List.of("dimension");

    /** Keys by scope name, for messages and the reference. */
    public static Map<String, List<ConfigKey>> scopes() {
        Map<String, List<ConfigKey>> scopes = new LinkedHashMap<>();
        scopes.put("top level", TOP);
        scopes.put("entity type (`entities.<name>`)", ENTITY);
        scopes.put("relation (`relations[i]`, `relation_template`)", RELATION);
        scopes.put("GCN config (`bin/tessera gcn --config`, a file of its own)", GCN);
        return scopes;
    }
}
