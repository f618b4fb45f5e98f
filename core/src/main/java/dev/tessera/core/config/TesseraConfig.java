package dev.tessera.core.config;

import dev.tessera.core.util.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A validated config: entity types, relations and every top-level setting with its default filled in, each
 * setting read through a typed accessor whose value is resolved once, here, rather than looked up by name where
 * it is used. Immutable; the {@code with...} methods return copies (discovered relations, command-line
 * overrides).
 */
public final class TesseraConfig {
    private final List<EntityTypeConfig> entities;
    private final List<RelationConfig> relations;
    private final ConfigValues settings;
    /** The template's keys as configured (lhs and rhs may be absent), kept as read so that it writes back so. */
    private final Map<String, Object> relationTemplate;

    private final boolean discoverRelations;
    private final int dimension;
    private final ComparatorName comparator;
    private final LossName loss;
    private final double margin;
    private final double adversarialTemperature;
    private final int numBatchNegs;
    private final int numUniformNegs;
    private final int numDegreeNegs;
    private final double degreeNegsExponent;
    private final BucketOrderName bucketOrder;
    private final BackendName backend;
    private final int numEpochs;
    private final int batchSize;
    private final double lr;
    private final OptimizerStepName optimizerStep;
    private final double relationLr;
    private final int workers;
    private final double initScale;
    private final OptionalDouble maxNorm;
    private final boolean globalEmbeddings;
    private final boolean bias;
    private final double regularizationCoef;
    private final RegularizerName regularizer;
    private final boolean dynamicRelations;
    private final boolean subsamplingWeights;
    private final TrainingModeName trainingMode;
    private final double dropout;
    private final ValidationSettings validation;
    private final double evalFraction;
    private final int partitionBuffer;
    private final int seed;

    TesseraConfig(
            List<EntityTypeConfig> entities,
            List<RelationConfig> relations,
            ConfigValues settings,
            Map<String, Object> relationTemplate) {
        this.entities = List.copyOf(entities);
        this.relations = List.copyOf(relations);
        this.settings = settings;
        this.relationTemplate =
                relationTemplate == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(relationTemplate));
        discoverRelations = settings.boolValue(ConfigSchema.DISCOVER_RELATIONS);
        dimension = settings.intValue(ConfigSchema.DIMENSION);
        comparator = settings.choice(ConfigSchema.COMPARATOR, ComparatorName.class);
        loss = settings.choice(ConfigSchema.LOSS_FN, LossName.class);
        margin = settings.doubleValue(ConfigSchema.MARGIN);
        adversarialTemperature = settings.doubleValue(ConfigSchema.ADVERSARIAL_TEMPERATURE);
        numBatchNegs = settings.intValue(ConfigSchema.NUM_BATCH_NEGS);
        numUniformNegs = settings.intValue(ConfigSchema.NUM_UNIFORM_NEGS);
        numDegreeNegs = settings.intValue(ConfigSchema.NUM_DEGREE_NEGS);
        degreeNegsExponent = settings.doubleValue(ConfigSchema.DEGREE_NEGS_EXPONENT);
        bucketOrder = settings.choice(ConfigSchema.BUCKET_ORDER, BucketOrderName.class);
        backend = settings.choice(ConfigSchema.BACKEND, BackendName.class);
        numEpochs = settings.intValue(ConfigSchema.NUM_EPOCHS);
        batchSize = settings.intValue(ConfigSchema.BATCH_SIZE);
        lr = settings.doubleValue(ConfigSchema.LR);
        optimizerStep = settings.choice(ConfigSchema.OPTIMIZER_STEP, OptimizerStepName.class);
        relationLr = settings.isSet(ConfigSchema.RELATION_LR) ? settings.doubleValue(ConfigSchema.RELATION_LR) : lr;
        workers = settings.isSet(ConfigSchema.WORKERS)
                ? settings.intValue(ConfigSchema.WORKERS)
                : Runtime.getRuntime().availableProcessors();
        initScale = settings.doubleValue(ConfigSchema.INIT_SCALE);
        maxNorm = settings.isSet(ConfigSchema.MAX_NORM)
                ? OptionalDouble.of(settings.doubleValue(ConfigSchema.MAX_NORM))
                : OptionalDouble.empty();
        globalEmbeddings = settings.boolValue(ConfigSchema.GLOBAL_EMB);
        bias = settings.boolValue(ConfigSchema.BIAS);
        regularizationCoef = settings.doubleValue(ConfigSchema.REGULARIZATION_COEF);
        regularizer = settings.choice(ConfigSchema.REGULARIZER, RegularizerName.class);
        dynamicRelations = settings.boolValue(ConfigSchema.DYNAMIC_RELATIONS);
        trainingMode = settings.choice(ConfigSchema.TRAINING_MODE, TrainingModeName.class);
        dropout = settings.doubleValue(ConfigSchema.DROPOUT);
        subsamplingWeights = settings.boolValue(ConfigSchema.SUBSAMPLING_WEIGHTS);
        validation = new ValidationSettings(
                settings.intValue(ConfigSchema.VALIDATE_EVERY),
                settings.doubleValue(ConfigSchema.LR_DECAY),
                settings.intValue(ConfigSchema.LR_PATIENCE),
                settings.intValue(ConfigSchema.EARLY_STOPPING_PATIENCE),
                settings.boolValue(ConfigSchema.KEEP_BEST),
                settings.doubleValue(ConfigSchema.TIME_BUDGET_MINUTES));
        evalFraction = settings.doubleValue(ConfigSchema.EVAL_FRACTION);
        partitionBuffer = settings.intValue(ConfigSchema.PARTITION_BUFFER);
        seed = settings.intValue(ConfigSchema.SEED);
    }

    public List<EntityTypeConfig> entities() {
        return entities;
    }

    public List<RelationConfig> relations() {
        return relations;
    }

    public Optional<EntityTypeConfig> entity(String name) {
        return entities.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public int entityTypeId(String name) {
        for (int i = 0; i < entities.size(); i++) {
            if (entities.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown entity type '" + name + "'; the graph has "
                + entities.stream().map(EntityTypeConfig::name).toList());
    }

    /** The relation a newly discovered relation name gets: the template's settings under that name. */
    public RelationConfig discoveredRelation(String name) {
        Map<String, Object> t = relationTemplate == null ? Map.of() : relationTemplate;
        String onlyType = entities.size() == 1 ? entities.get(0).name() : null;
        String lhs = (String) t.getOrDefault(ConfigSchema.LHS.name(), onlyType);
        String rhs = (String) t.getOrDefault(ConfigSchema.RHS.name(), onlyType);
        return new RelationConfig(
                name,
                lhs,
                rhs,
                OperatorName.of(
                        (String) t.getOrDefault(ConfigSchema.OPERATOR.name(), ConfigSchema.OPERATOR.defaultValue())),
                ((Number) t.getOrDefault(ConfigSchema.WEIGHT.name(), ConfigSchema.WEIGHT.defaultValue())).doubleValue(),
                (Boolean) t.getOrDefault(ConfigSchema.ALL_NEGS.name(), ConfigSchema.ALL_NEGS.defaultValue()));
    }

    // ---------------------------------------------------------------- typed settings

    /** {@code discover_relations}. */
    public boolean discoverRelations() {
        return discoverRelations;
    }

    /** {@code dimension}: every entity type's embedding dimension. */
    public int dimension() {
        return dimension;
    }

    /** {@code comparator}. */
    public ComparatorName comparator() {
        return comparator;
    }

    /** {@code loss_fn}. */
    public LossName loss() {
        return loss;
    }

    /** {@code margin} of the ranking loss. */
    public double margin() {
        return margin;
    }

    /** {@code num_batch_negs}. */
    public int numBatchNegs() {
        return numBatchNegs;
    }

    /** {@code num_uniform_negs}. */
    public int numUniformNegs() {
        return numUniformNegs;
    }

    /** {@code num_degree_negs}. */
    public int numDegreeNegs() {
        return numDegreeNegs;
    }

    /** {@code degree_negs_exponent}. */
    public double degreeNegsExponent() {
        return degreeNegsExponent;
    }

    /** {@code bucket_order}. */
    public BucketOrderName bucketOrder() {
        return bucketOrder;
    }

    /** {@code backend}. */
    public BackendName backend() {
        return backend;
    }

    /** {@code num_epochs}. */
    public int numEpochs() {
        return numEpochs;
    }

    /** {@code batch_size}: edges per training batch. */
    public int batchSize() {
        return batchSize;
    }

    /** {@code lr}: the embeddings' learning rate. */
    public double lr() {
        return lr;
    }

    /** {@code optimizer_step}. */
    public OptimizerStepName optimizerStep() {
        return optimizerStep;
    }

    /** {@code relation_lr}, or {@link #lr} when unset. */
    public double relationLr() {
        return relationLr;
    }

    /** {@code workers}, or one per core (as the JVM counts them when the config is built) when unset. */
    public int workers() {
        return workers;
    }

    /** {@code init_scale}. */
    public double initScale() {
        return initScale;
    }

    /** {@code max_norm}; empty when unset, which means no clipping. */
    public OptionalDouble maxNorm() {
        return maxNorm;
    }

    /** {@code global_emb}: whether each entity type has a learned global embedding. */
    public boolean globalEmbeddings() {
        return globalEmbeddings;
    }

    /** {@code bias}: whether element 0 of every embedding is a bias term of the score. */
    public boolean bias() {
        return bias;
    }

    /** {@code regularization_coef}. */
    public double regularizationCoef() {
        return regularizationCoef;
    }

    /** {@code regularizer}. */
    public RegularizerName regularizer() {
        return regularizer;
    }

    /** {@code dynamic_relations}: reciprocal relations. */
    public boolean dynamicRelations() {
        return dynamicRelations;
    }

    /** {@code subsampling_weights}: training edges weighted by how often their queries occur. */
    public boolean subsamplingWeights() {
        return subsamplingWeights;
    }

    /** {@code adversarial_temperature}: α of the self_adversarial loss. */
    public double adversarialTemperature() {
        return adversarialTemperature;
    }

    /** {@code training_mode}. */
    public TrainingModeName trainingMode() {
        return trainingMode;
    }

    /** {@code dropout}: of the query embeddings, in {@code 1_vs_all} training. */
    public double dropout() {
        return dropout;
    }

    /**
     * {@code validate_every}, {@code lr_decay}, {@code lr_patience}, {@code early_stopping_patience}, {@code
     * keep_best}, {@code time_budget_minutes}.
     */
    public ValidationSettings validation() {
        return validation;
    }

    /** {@code eval_fraction}. */
    public double evalFraction() {
        return evalFraction;
    }

    /** {@code partition_buffer}. */
    public int partitionBuffer() {
        return partitionBuffer;
    }

    /** {@code seed}. */
    public int seed() {
        return seed;
    }

    // ---------------------------------------------------------------- copies

    /** A copy with other entity settings (e.g. {@code --partitions} applied); relations must still fit. */
    public TesseraConfig withEntities(List<EntityTypeConfig> newEntities) {
        return ConfigLoader.parse(
                new TesseraConfig(newEntities, relations, settings, relationTemplate).toJson(),
                "config with overridden entity settings");
    }

    public TesseraConfig withRelations(List<RelationConfig> newRelations) {
        return new TesseraConfig(entities, newRelations, settings, relationTemplate);
    }

    /** A copy training {@code n} epochs (the {@code --epochs} override). */
    public TesseraConfig withNumEpochs(int n) {
        return with(ConfigSchema.NUM_EPOCHS, n);
    }

    /**
     * A copy with one top-level setting replaced, checked as the loader checks it (type, range, allowed names);
     * an enum value may be given as the enum or as its config name.
     */
    public TesseraConfig with(ConfigKey key, Object value) {
        return new TesseraConfig(entities, relations, settings.with(key, value), relationTemplate);
    }

    /** {@link #with(ConfigKey, Object)} by the key's name, for tools and tests that hold names. */
    public TesseraConfig with(String key, Object value) {
        return with(topLevelKey(key), value);
    }

    /** The value as configured, null when an optional key is unset: for tests of the loader, not for code. */
    Object get(String key) {
        return settings.get(topLevelKey(key));
    }

    private ConfigKey topLevelKey(String name) {
        return settings.key(name)
                .orElseThrow(() -> new IllegalArgumentException("no top-level config key '" + name + "'"));
    }

    // ---------------------------------------------------------------- JSON

    /** The config as JSON, in the key names it was read with; {@link ConfigLoader#parse} reads it back. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> ents = new LinkedHashMap<>();
        for (EntityTypeConfig e : entities) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(ConfigSchema.NUM_PARTITIONS.name(), e.numPartitions());
            m.put(ConfigSchema.FEATURIZED.name(), e.featurized());
            ents.put(e.name(), m);
        }
        root.put(ConfigSchema.ENTITIES.name(), ents);
        List<Object> rels = new ArrayList<>();
        for (RelationConfig r : relations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(ConfigSchema.NAME.name(), r.name());
            m.put(ConfigSchema.LHS.name(), r.lhs());
            m.put(ConfigSchema.RHS.name(), r.rhs());
            m.put(ConfigSchema.OPERATOR.name(), r.operator().configName());
            m.put(ConfigSchema.WEIGHT.name(), r.weight());
            m.put(ConfigSchema.ALL_NEGS.name(), r.allNegs());
            rels.add(m);
        }
        root.put(ConfigSchema.RELATIONS.name(), rels);
        if (relationTemplate != null) {
            root.put(ConfigSchema.RELATION_TEMPLATE.name(), relationTemplate);
        }
        settings.byName().forEach((k, v) -> {
            if (v != null) {
                root.put(k, v);
            }
        });
        return Json.write(root);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TesseraConfig c && c.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }
}
