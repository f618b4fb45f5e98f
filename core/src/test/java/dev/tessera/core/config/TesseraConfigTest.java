package dev.tessera.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed accessors: defaults, derived defaults, overrides, and keys that were retired. */
class TesseraConfigTest {
    private static final String HEAD = "entities:\n  a: {}\nrelations:\n  - {name: r, lhs: a, rhs: a}\n";

    private static TesseraConfig parse(String more) {
        return ConfigLoader.parse(HEAD + more, "t.yaml");
    }

    @Test
    void defaultsAreTheSchemas() {
        TesseraConfig c = parse("");
        assertEquals(100, c.dimension());
        assertEquals(ComparatorName.COS, c.comparator());
        assertEquals(LossName.RANKING, c.loss());
        assertEquals(0.1, c.margin());
        assertEquals(50, c.numBatchNegs());
        assertEquals(50, c.numUniformNegs());
        assertEquals(0, c.numDegreeNegs());
        assertEquals(0.75, c.degreeNegsExponent());
        assertEquals(BucketOrderName.INSIDE_OUT, c.bucketOrder());
        assertEquals(1, c.numEpochs());
        assertEquals(1000, c.batchSize());
        assertEquals(0.01, c.lr());
        assertEquals(OptimizerStepName.CHUNK, c.optimizerStep());
        assertEquals(0.001, c.initScale());
        assertTrue(c.maxNorm().isEmpty(), "unset max_norm: no clipping");
        assertTrue(c.globalEmbeddings());
        assertFalse(c.bias());
        assertEquals(0.0, c.regularizationCoef());
        assertEquals(RegularizerName.N3, c.regularizer());
        assertFalse(c.dynamicRelations());
        assertFalse(c.discoverRelations());
        assertEquals(0.05, c.evalFraction());
        assertEquals(2, c.partitionBuffer());
        assertEquals(0, c.seed());
    }

    @Test
    void relationLrDefaultsToLr() {
        assertEquals(0.01, parse("").relationLr());
        assertEquals(0.3, parse("lr: 0.3\n").relationLr());
        assertEquals(0.02, parse("lr: 0.3\nrelation_lr: 0.02\n").relationLr());
        // it follows an overridden lr too, and an unset relation_lr stays unset in the stored config
        TesseraConfig c = parse("").with("lr", 0.5);
        assertEquals(0.5, c.relationLr());
        assertFalse(c.toJson().contains("relation_lr"), c.toJson());
    }

    @Test
    void workersDefaultToOnePerCore() {
        assertEquals(Runtime.getRuntime().availableProcessors(), parse("").workers());
        assertEquals(3, parse("workers: 3\n").workers());
        assertFalse(parse("").toJson().contains("workers"), "the default is not written as a number");
    }

    @Test
    void givenValuesAreTyped() {
        TesseraConfig c = parse("comparator: squared_l2\nloss_fn: softmax\nbucket_order: buffer_aware\n"
                + "optimizer_step: batch\nmax_norm: 2\ndynamic_relations: true\nglobal_emb: false\nbias: true\n"
                + "seed: 9\n");
        assertEquals(ComparatorName.SQUARED_L2, c.comparator());
        assertEquals(LossName.SOFTMAX, c.loss());
        assertEquals(BucketOrderName.BUFFER_AWARE, c.bucketOrder());
        assertEquals(OptimizerStepName.BATCH, c.optimizerStep());
        assertEquals(2.0, c.maxNorm().orElseThrow());
        assertTrue(c.dynamicRelations());
        assertFalse(c.globalEmbeddings());
        assertTrue(c.bias());
        assertEquals(9, c.seed());
    }

    @Test
    void overridesAreCheckedAsTheLoaderChecks() {
        TesseraConfig c = parse("");
        assertEquals(5, c.withNumEpochs(5).numEpochs());
        assertEquals(ComparatorName.DOT, c.with("comparator", "dot").comparator());
        assertEquals(
                ComparatorName.L2,
                c.with(ConfigSchema.COMPARATOR, ComparatorName.L2).comparator());
        assertEquals(c.with("comparator", "dot"), c.with(ConfigSchema.COMPARATOR, ComparatorName.DOT));
        assertEquals(2.0, c.with("lr", 2).lr(), "integers are numbers");

        assertEquals(
                "no top-level config key 'num_epoch'",
                assertThrows(IllegalArgumentException.class, () -> c.with("num_epoch", 3))
                        .getMessage());
        assertEquals(
                "comparator: 'dott' is not allowed; allowed: dot, cos, l2, squared_l2 (did you mean 'dot'?)",
                assertThrows(IllegalArgumentException.class, () -> c.with("comparator", "dott"))
                        .getMessage());
        assertEquals(
                "num_epochs: 0 is out of range; allowed: [1, 1000000]",
                assertThrows(IllegalArgumentException.class, () -> c.withNumEpochs(0))
                        .getMessage());
        assertEquals(
                "num_epochs: expected integer, [1, 1000000], got '1.5'",
                assertThrows(IllegalArgumentException.class, () -> c.with("num_epochs", 1.5))
                        .getMessage());
        assertEquals(
                "bias: expected boolean, got 'yes'",
                assertThrows(IllegalArgumentException.class, () -> c.with("bias", "yes"))
                        .getMessage());
        assertEquals(
                "lr: a value is required",
                assertThrows(IllegalArgumentException.class, () -> c.with("lr", null))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.with("entities", List.of()));
        assertEquals(0.01, c.with("relation_lr", 0.2).with("relation_lr", null).relationLr(), "unset again");
    }

    @Test
    void retiredKeysAreUnknownInAConfig() {
        assertEquals(
                List.of("eval_num_batch_negs (line 5): unknown key 'eval_num_batch_negs'; did you mean "
                        + "'num_batch_negs'?"),
                assertThrows(ConfigException.class, () -> parse("eval_num_batch_negs: 10\n"))
                        .problems());
        assertEquals(
                List.of("eval_num_uniform_negs (line 5): unknown key 'eval_num_uniform_negs'; did you mean "
                        + "'num_uniform_negs'?"),
                assertThrows(ConfigException.class, () -> parse("eval_num_uniform_negs: 10\n"))
                        .problems());
        assertEquals(
                List.of("entities.a.dimension (line 2): unknown key 'dimension'; did you mean 'featurized'?"),
                assertThrows(
                                ConfigException.class,
                                () -> ConfigLoader.parse(
                                        "entities:\n  a: {dimension: 8}\nrelations:\n  - {name: r, lhs: a, rhs: a}\n",
                                        "t.yaml"))
                        .problems());
    }

    @Test
    void storedConfigsWrittenBeforeTheRetirementStillRead() {
        // What toJson wrote while the keys existed: every default, the retired ones included.
        String stored = "{\"entities\":{\"a\":{\"num_partitions\":1,\"featurized\":false,\"dimension\":8}},"
                + "\"relations\":[{\"name\":\"r\",\"lhs\":\"a\",\"rhs\":\"a\",\"operator\":\"none\",\"weight\":1.0,"
                + "\"all_negs\":false}],\"dimension\":8,\"eval_num_batch_negs\":1000,\"eval_num_uniform_negs\":1000}";
        TesseraConfig c = ConfigLoader.parseStored(stored, "graph (stored schema)");
        assertEquals(8, c.dimension());
        assertEquals(List.of(new EntityTypeConfig("a", 1, false)), c.entities());
        assertFalse(c.toJson().contains("eval_num"), c.toJson());
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(stored, "user config"));
        // Keys that never existed are still refused.
        String unknown = stored.substring(0, stored.length() - 1) + ",\"x\":1}";
        assertThrows(ConfigException.class, () -> ConfigLoader.parseStored(unknown, "graph (stored schema)"));
    }
}
