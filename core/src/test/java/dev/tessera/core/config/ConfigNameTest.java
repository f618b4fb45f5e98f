package dev.tessera.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The name enums are the one list of each choice: the schema, the reference and the code agree on them. */
class ConfigNameTest {
    /** Every choice key of the schema with the parser of its enum. */
    private static final Map<ConfigKey, Function<String, ConfigName>> CHOICES = Map.of(
            ConfigSchema.OPERATOR, OperatorName::of,
            ConfigSchema.COMPARATOR, ComparatorName::of,
            ConfigSchema.LOSS_FN, LossName::of,
            ConfigSchema.BUCKET_ORDER, BucketOrderName::of,
            ConfigSchema.OPTIMIZER_STEP, OptimizerStepName::of,
            ConfigSchema.REGULARIZER, RegularizerName::of,
            ConfigSchema.TRAINING_MODE, TrainingModeName::of,
            ConfigSchema.BACKEND, BackendName::of);

    @Test
    void everyChoiceKeyOfTheSchemaHasAnEnum() {
        for (List<ConfigKey> scope : ConfigSchema.scopes().values()) {
            for (ConfigKey k : scope) {
                if (k.kind() == ConfigKey.Kind.ENUM) {
                    assertTrue(CHOICES.containsKey(k), "choice key '" + k.name() + "' has no enum in this test");
                }
            }
        }
    }

    @Test
    void everySchemaNameResolvesToTheValueSpeltSo() {
        CHOICES.forEach((key, parse) -> {
            assertTrue(key.allowed().contains((String) key.defaultValue()), key.name());
            for (String name : key.allowed()) {
                ConfigName value = parse.apply(name);
                assertEquals(name, value.configName(), key.name());
                assertEquals(name, value.toString(), "messages print the config spelling");
            }
        });
    }

    @Test
    void schemaListsTheEnumsNamesInDeclarationOrder() {
        assertEquals(OperatorName.configNames(), ConfigSchema.OPERATOR.allowed());
        assertEquals(
                List.of("none", "translation", "diagonal", "linear", "affine", "complex_diagonal", "rotate"),
                OperatorName.configNames());
        assertEquals(List.of("dot", "cos", "l2", "squared_l2"), ComparatorName.configNames());
        assertEquals(ComparatorName.configNames(), ConfigSchema.COMPARATOR.allowed());
        assertEquals(List.of("ranking", "logistic", "softmax", "self_adversarial"), LossName.configNames());
        assertEquals(LossName.configNames(), ConfigSchema.LOSS_FN.allowed());
        assertEquals(List.of("openblas", "nd4j", "java"), BackendName.configNames());
        assertEquals(BackendName.configNames(), ConfigSchema.BACKEND.allowed());
        // The schema's order; the trainer's NAMES list had the same five in another order.
        assertEquals(
                List.of("random", "affinity", "inside_out", "outside_in", "buffer_aware"),
                BucketOrderName.configNames());
        assertEquals(BucketOrderName.configNames(), ConfigSchema.BUCKET_ORDER.allowed());
        assertEquals(List.of("chunk", "batch"), OptimizerStepName.configNames());
        assertEquals(List.of("N3"), RegularizerName.configNames());
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComparatorName.of("dott"));
        assertEquals(
                "unknown comparator 'dott'; allowed: dot, cos, l2, squared_l2 (did you mean 'dot'?)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OperatorName.of("translate"));
        assertEquals(
                "unknown operator 'translate'; allowed: none, translation, diagonal, linear, affine, "
                        + "complex_diagonal, rotate (did you mean 'translation'?)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossName.of("softmx"));
        assertEquals(
                "unknown loss 'softmx'; allowed: ranking, logistic, softmax, self_adversarial (did you mean 'softmax'?)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BucketOrderName.of("inside-out"));
        assertEquals(
                "unknown bucket order 'inside-out'; allowed: random, affinity, inside_out, outside_in, "
                        + "buffer_aware (did you mean 'inside_out'?)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerStepName.of("batches"));
        assertTrue(e.getMessage().endsWith("(did you mean 'batch'?)"), e.getMessage());
        // Names are case-sensitive, as the loader's are.
        assertThrows(IllegalArgumentException.class, () -> RegularizerName.of("n3"));
    }

    @Test
    void theLoaderAndTheEnumsAcceptTheSameNames() {
        String head = "entities:\n  a: {}\nrelations:\n  - {name: r, lhs: a, rhs: a, operator: %s}\n";
        for (OperatorName op : OperatorName.values()) {
            TesseraConfig c = ConfigLoader.parse(String.format(head, op.configName()), "t.yaml");
            assertSame(op, c.relations().get(0).operator());
        }
        for (BucketOrderName order : BucketOrderName.values()) {
            TesseraConfig c = ConfigLoader.parse(String.format(head, "none") + "bucket_order: " + order, "t.yaml");
            assertSame(order, c.bucketOrder());
        }
        for (ComparatorName comparator : ComparatorName.values()) {
            TesseraConfig c = ConfigLoader.parse(String.format(head, "none") + "comparator: " + comparator, "t.yaml");
            assertSame(comparator, c.comparator());
        }
        for (LossName loss : LossName.values()) {
            TesseraConfig c = ConfigLoader.parse(String.format(head, "none") + "loss_fn: " + loss, "t.yaml");
            assertSame(loss, c.loss());
        }
    }
}
