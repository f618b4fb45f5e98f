package dev.tessera.core.config;

import static dev.tessera.core.config.ConfigKey.bool;
import static dev.tessera.core.config.ConfigKey.choice;
import static dev.tessera.core.config.ConfigKey.integer;
import static dev.tessera.core.config.ConfigKey.number;
import static dev.tessera.core.config.ConfigKey.string;
import static dev.tessera.core.config.ConfigKey.structure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key a Tessera config may hold, in three scopes: the top level, one entity type, one relation.
 * Names follow PyTorch-BigGraph where the concept exists there, so a PBG config ports by reading it.
 */
public final class ConfigSchema {
    private ConfigSchema() {
    }

    public static final List<ConfigKey> ENTITY = List.of(
            integer("num_partitions", 1, Range.between(1, 32_768),
                    "How many partitions this type's entities are split into; P partitions give P×P edge buckets."),
            bool("featurized", false,
                    "Whether an entity's embedding is the mean of its feature embeddings (PBG's featurized entities), "
                            + "weighted by the feature values imported with `bin/tessera features`. A training config "
                            + "may switch it per type; partitioning stays as imported."),
            integer("dimension", null, Range.between(1, 65_536),
                    "Embedding dimension for this type; defaults to the top-level `dimension`."));

    public static final List<ConfigKey> RELATION = List.of(
            string("name", null, true, "The relation's name as it appears in the edge files."),
            string("lhs", null, true, "Entity type of the source (left-hand side) column."),
            string("rhs", null, true, "Entity type of the destination (right-hand side) column."),
            choice("operator", OperatorName.NONE, OperatorName.class,
                    "Operator applied to the right-hand side embedding."),
            number("weight", 1.0, Range.above(0), "Multiplier of this relation's loss."),
            bool("all_negs", false, "Score every entity of the partition as a negative instead of sampling."));

    public static final List<ConfigKey> TOP = List.of(
            structure("entities", ConfigKey.Kind.ENTITY_MAP, true,
                    "Entity types: name → settings (see the entity keys below)."),
            structure("relations", ConfigKey.Kind.RELATION_LIST, false,
                    "Relation types (see the relation keys below). May be empty when `discover_relations` is on."),
            bool("discover_relations", false,
                    "Create a relation for every relation name found in the training edges, from `relation_template`."),
            structure("relation_template", ConfigKey.Kind.RELATION_TEMPLATE, false,
                    "Settings of discovered relations (`lhs`, `rhs`, `operator`, ...); `lhs`/`rhs` default to the "
                            + "only entity type when there is one."),
            integer("dimension", 100, Range.between(1, 65_536), "Embedding dimension."),
            choice("comparator", ComparatorName.COS, ComparatorName.class,
                    "How a left-hand and a transformed right-hand embedding are compared."),
            choice("loss_fn", LossName.RANKING, LossName.class, "Loss over positive and negative scores."),
            number("margin", 0.1, Range.atLeast(0), "Margin of the ranking loss."),
            integer("num_batch_negs", 50, Range.atLeast(0), "Negatives taken from the other edges of the same chunk."),
            integer("num_uniform_negs", 50, Range.atLeast(0), "Negatives drawn uniformly from the active partition."),
            integer("num_degree_negs", 0, Range.atLeast(0),
                    "Negatives drawn from the active partition with probability ∝ degree^degree_negs_exponent."),
            number("degree_negs_exponent", 0.75, Range.atLeast(0),
                    "Exponent of the degree-weighted negatives (word2vec's 0.75)."),
            choice("bucket_order", BucketOrderName.INSIDE_OUT, BucketOrderName.class,
                    "Order in which the P×P buckets are trained."),
            integer("num_epochs", 1, Range.between(1, 1_000_000), "Passes over the training edges."),
            integer("batch_size", 1000, Range.between(1, 100_000_000), "Edges per training batch."),
            number("lr", 0.01, Range.above(0), "Learning rate of the embeddings (row-wise Adagrad)."),
            choice("optimizer_step", OptimizerStepName.CHUNK, OptimizerStepName.class,
                    "When the optimizers step: after every chunk, or once per batch on the gradients summed over "
                            + "its chunks, as PyTorch-BigGraph does."),
            number("relation_lr", null, Range.above(0), "Learning rate of relation parameters; defaults to `lr`."),
            integer("workers", null, Range.between(1, 4096), "Hogwild worker threads; defaults to one per core."),
            number("init_scale", 1e-3, Range.above(0), "Standard deviation of the initial embeddings."),
            number("max_norm", null, Range.above(0), "Clip embeddings to this L2 norm; unset means no clipping."),
            bool("global_emb", true, "Add a learned global embedding per entity type."),
            bool("bias", false, "Use the first embedding coordinate as a bias in the comparator."),
            number("regularization_coef", 0.0, Range.atLeast(0), "Weight of the regularizer."),
            choice("regularizer", RegularizerName.N3, RegularizerName.class,
                    "Regularizer applied when `regularization_coef` > 0."),
            bool("dynamic_relations", false,
                    "Train each relation also in reverse with its own parameters (reciprocal relations); chunks "
                            + "then mix relations of the same entity types, as PBG's batches do."),
            number("eval_fraction", 0.05, Range.halfOpen(0, 1),
                    "Fraction of training edges held out for evaluation during training."),
            integer("eval_num_batch_negs", 1000, Range.atLeast(0), "Batch negatives used by periodic evaluation."),
            integer("eval_num_uniform_negs", 1000, Range.atLeast(0), "Uniform negatives used by periodic evaluation."),
            integer("partition_buffer", 2, Range.between(2, 32_768),
                    "Partitions the trainer keeps in memory at once (the swap buffer), including one being "
                            + "written back. With 2, a swap waits for the write-back; with more, the next "
                            + "bucket's partitions load while the current one trains."),
            integer("seed", 0, Range.atLeast(0), "Seed of every random choice (sampling, initialisation, orders)."));

    /** Keys by scope name, for messages and the reference. */
    public static Map<String, List<ConfigKey>> scopes() {
        Map<String, List<ConfigKey>> scopes = new LinkedHashMap<>();
        scopes.put("top level", TOP);
        scopes.put("entity type (`entities.<name>`)", ENTITY);
        scopes.put("relation (`relations[i]`, `relation_template`)", RELATION);
        return scopes;
    }
}
