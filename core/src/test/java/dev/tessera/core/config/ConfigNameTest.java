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
    /** Every choice key of the schema, by name, with the parser of its enum. */
    private static final Map<String, Function<String, ConfigName>> CHOICES = Map.of(
            "operator", OperatorName::of,
            "comparator", ComparatorName::of,
            "loss_fn", LossName::of,
            "bucket_order", BucketOrderName::of,
            "optimizer_step", OptimizerStepName::of,
            "regularizer", RegularizerName::of);

    private static ConfigKey key(String name) {
        return ConfigSchema.scopes().values().stream().flatMap(List::stream).filter(k -> k.name().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void everyChoiceKeyOfTheSchemaHasAnEnum() {
        for (List<ConfigKey> scope : ConfigSchema.scopes().values()) {
            for (ConfigKey k : scope) {
                if (k.kind() == ConfigKey.Kind.ENUM) {
                    assertTrue(CHOICES.containsKey(k.name()), "choice key '" + k.name() + "' has no enum in this test");
                }
            }
        }
    }

    @Test
    void everySchemaNameResolvesToTheValueSpeltSo() {
        CHOICES.forEach((name, parse) -> {
            ConfigKey key = key(name);
            assertTrue(key.allowed().contains((String) key.defaultValue()), name);
            for (String allowed : key.allowed()) {
                ConfigName value = parse.apply(allowed);
                assertEquals(allowed, value.configName(), name);
                assertEquals(allowed, value.toString(), "messages print the config spelling");
            }
        });
    }

    @Test
    void schemaListsTheEnumsNamesInDeclarationOrder() {
        assertEquals(OperatorName.configNames(), key("operator").allowed());
        assertEquals(List.of("none", "translation", "diagonal", "linear", "affine", "complex_diagonal"),
                OperatorName.configNames());
        assertEquals(List.of("dot", "cos", "l2", "squared_l2"), ComparatorName.configNames());
        assertEquals(ComparatorName.configNames(), key("comparator").allowed());
        assertEquals(List.of("ranking", "logistic", "softmax"), LossName.configNames());
        assertEquals(LossName.configNames(), key("loss_fn").allowed());
        // The schema's order; the trainer's NAMES list had the same five in another order.
        assertEquals(List.of("random", "affinity", "inside_out", "outside_in", "buffer_aware"),
                BucketOrderName.configNames());
        assertEquals(BucketOrderName.configNames(), key("bucket_order").allowed());
        assertEquals(List.of("chunk", "batch"), OptimizerStepName.configNames());
        assertEquals(List.of("N3"), RegularizerName.configNames());
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComparatorName.of("dott"));
        assertEquals("unknown comparator 'dott'; allowed: dot, cos, l2, squared_l2 (did you mean 'dot'?)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OperatorName.of("translate"));
        assertEquals("unknown operator 'translate'; allowed: none, translation, diagonal, linear, affine, "
                + "complex_diagonal (did you mean 'translation'?)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossName.of("softmx"));
        assertEquals("unknown loss 'softmx'; allowed: ranking, logistic, softmax (did you mean 'softmax'?)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BucketOrderName.of("inside-out"));
        assertEquals("unknown bucket order 'inside-out'; allowed: random, affinity, inside_out, outside_in, "
                + "buffer_aware (did you mean 'inside_out'?)", e.getMessage());
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
            assertSame(op, OperatorName.of(c.relations().get(0).operator()));
        }
        for (BucketOrderName order : BucketOrderName.values()) {
            TesseraConfig c = ConfigLoader.parse(String.format(head, "none") + "bucket_order: " + order, "t.yaml");
            assertSame(order, BucketOrderName.of(c.getString("bucket_order")));
        }
    }
}
