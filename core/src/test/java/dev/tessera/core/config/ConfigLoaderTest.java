package dev.tessera.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** Two entity types, two relations; line numbers matter to the error tests below. */
    private static final String VALID_YAML = String.join(
            "\n",
            "entities:", // 1
            "  user:", // 2
            "    num_partitions: 4", // 3
            "  item:", // 4
            "    featurized: true", // 5
            "relations:", // 6
            "  - name: likes", // 7
            "    lhs: user", // 8
            "    rhs: item", // 9
            "    operator: translation", // 10
            "    weight: 2.5", // 11
            "  - name: follows", // 12
            "    lhs: user", // 13
            "    rhs: user", // 14
            "    all_negs: yes", // 15
            "dimension: 64", // 16
            "lr: 0.05", // 17
            "num_epochs: 3", // 18
            "bucket_order: affinity", // 19
            "max_norm: 1e1", // 20
            "");

    private static final String VALID_JSON = "{\n"
            + "  \"entities\": {\"user\": {\"num_partitions\": 4},"
            + " \"item\": {\"featurized\": true}},\n"
            + "  \"relations\": [\n"
            + "    {\"name\": \"likes\", \"lhs\": \"user\", \"rhs\": \"item\", \"operator\": \"translation\","
            + " \"weight\": 2.5},\n"
            + "    {\"name\": \"follows\", \"lhs\": \"user\", \"rhs\": \"user\", \"all_negs\": true}\n"
            + "  ],\n"
            + "  \"dimension\": 64, \"lr\": 0.05, \"num_epochs\": 3, \"bucket_order\": \"affinity\","
            + " \"max_norm\": 10.0\n"
            + "}\n";

    /** The smallest valid head: one entity type 'a' and one relation; further keys start at line 5. */
    private static final String HEAD = "entities:\n  a: {}\nrelations:\n  - {name: r, lhs: a, rhs: a}\n";

    private static List<String> problems(String text) {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse(text, "test.yaml"),
                "expected the config to be rejected:\n" + text);
        return e.problems();
    }

    private static String only(String text) {
        List<String> p = problems(text);
        assertEquals(1, p.size(), "expected exactly one problem, got " + p);
        return p.get(0);
    }

    // ---------------------------------------------------------------- valid configs

    @Test
    void validYamlParsesWithValuesAndDefaults() {
        TesseraConfig c = ConfigLoader.parse(VALID_YAML, "valid.yaml");

        assertEquals(
                List.of(new EntityTypeConfig("user", 4, false), new EntityTypeConfig("item", 1, true)), c.entities());
        assertEquals(
                List.of(
                        new RelationConfig("likes", "user", "item", OperatorName.TRANSLATION, 2.5, false),
                        new RelationConfig("follows", "user", "user", OperatorName.NONE, 1.0, true)),
                c.relations());
        assertEquals(1, c.entityTypeId("item"));
        assertEquals(4, c.entity("user").orElseThrow().numPartitions());
        assertTrue(c.entity("nobody").isEmpty());

        // given values
        assertEquals(64, c.dimension());
        assertEquals(0.05, c.lr());
        assertEquals(3, c.numEpochs());
        assertEquals(BucketOrderName.AFFINITY, c.bucketOrder());
        assertEquals(10.0, c.maxNorm().orElseThrow());
        // defaults filled in
        assertEquals(ComparatorName.COS, c.comparator());
        assertEquals(LossName.RANKING, c.loss());
        assertNull(c.get("relation_lr"));
        assertNull(c.get("workers"));
        assertEquals(0.1, c.margin());
        assertEquals(50, c.numBatchNegs());
        assertEquals(1000, c.batchSize());
        assertEquals(0.001, c.initScale());
        assertEquals(0.05, c.evalFraction());
        assertEquals(2, c.partitionBuffer());
        assertEquals(0, c.seed());
        assertTrue(c.globalEmbeddings());
        assertFalse(c.bias());
        assertFalse(c.discoverRelations());
        assertEquals(RegularizerName.N3, c.regularizer());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.get("num_epoch"));
        assertEquals("no top-level config key 'num_epoch'", e.getMessage());
    }

    @Test
    void entityWithoutSettingsGetsDefaults() {
        TesseraConfig c =
                ConfigLoader.parse("entities:\n  node:\nrelations:\n  - {name: r, lhs: node, rhs: node}\n", "t.yaml");
        assertEquals(List.of(new EntityTypeConfig("node", 1, false)), c.entities());
        assertEquals(100, c.dimension());
    }

    @Test
    void jsonConfigEqualsTheYamlOne() {
        TesseraConfig yaml = ConfigLoader.parse(VALID_YAML, "valid.yaml");
        TesseraConfig json = ConfigLoader.parse(VALID_JSON, "valid.json");
        assertEquals(yaml, json);
        assertEquals(yaml.hashCode(), json.hashCode());
        assertEquals(yaml.entities(), json.entities());
        assertEquals(yaml.relations(), json.relations());
        assertEquals(yaml.toJson(), json.toJson());
    }

    @Test
    void toJsonRoundTrips() {
        TesseraConfig c = ConfigLoader.parse(VALID_YAML, "valid.yaml");
        String json = c.toJson();
        assertTrue(
                json.startsWith("{\"entities\":{\"user\":{\"num_partitions\":4,\"featurized\":false},"
                        + "\"item\":{\"num_partitions\":1,\"featurized\":true}},"),
                json);
        assertTrue(json.contains("\"comparator\":\"cos\""), json);
        assertFalse(json.contains("relation_lr"), "unset settings are left out: " + json);
        TesseraConfig back = ConfigLoader.parse(json, "round-trip.json");
        assertEquals(c, back);
        assertEquals(json, back.toJson());
        assertEquals(c.relations(), back.relations());
    }

    @Test
    void toJsonRoundTripsWithTemplate() {
        TesseraConfig c = ConfigLoader.parse(
                "entities:\n  a: {}\n  b: {}\ndiscover_relations: true\n"
                        + "relation_template: {lhs: a, rhs: b, operator: linear}\nrelation_lr: 0.5\n",
                "t.yaml");
        TesseraConfig back = ConfigLoader.parse(c.toJson(), "t.json");
        assertEquals(c, back);
        assertEquals(0.5, back.relationLr());
        assertEquals(new RelationConfig("x", "a", "b", OperatorName.LINEAR, 1.0, false), back.discoveredRelation("x"));
    }

    @Test
    void differentConfigsAreNotEqual() {
        TesseraConfig c = ConfigLoader.parse(VALID_YAML, "valid.yaml");
        TesseraConfig other = ConfigLoader.parse(VALID_YAML.replace("weight: 2.5", "weight: 2.0"), "other.yaml");
        assertNotEquals(c, other);
    }

    @Test
    void withOverridesOneSetting() {
        TesseraConfig c = ConfigLoader.parse(VALID_YAML, "valid.yaml");
        TesseraConfig more = c.with("num_epochs", 7);
        assertEquals(7, more.numEpochs());
        assertEquals(3, c.numEpochs(), "the original is unchanged");
        assertEquals(64, more.dimension());
        assertEquals(c.relations(), more.relations());
        assertNotEquals(c, more);
        assertEquals(c, more.with("num_epochs", 3));
        assertEquals(0.2, c.with("relation_lr", 0.2).relationLr());
    }

    @Test
    void withRelationsReplacesRelations() {
        TesseraConfig c = ConfigLoader.parse(VALID_YAML, "valid.yaml");
        RelationConfig r = new RelationConfig("buys", "user", "item", OperatorName.NONE, 1.0, false);
        TesseraConfig d = c.withRelations(List.of(r));
        assertEquals(List.of(r), d.relations());
        assertEquals(2, c.relations().size());
    }

    @Test
    void discoveredRelationUsesTheOnlyEntityType() {
        TesseraConfig c = ConfigLoader.parse("entities:\n  node: {}\ndiscover_relations: true\n", "t.yaml");
        assertTrue(c.discoverRelations());
        assertTrue(c.relations().isEmpty());
        assertEquals(
                new RelationConfig("cites", "node", "node", OperatorName.NONE, 1.0, false),
                c.discoveredRelation("cites"));
    }

    @Test
    void discoveredRelationUsesTheTemplate() {
        TesseraConfig c = ConfigLoader.parse(
                "entities:\n  user: {}\n  item: {}\ndiscover_relations: true\n"
                        + "relation_template:\n  lhs: user\n  rhs: item\n  operator: diagonal\n  weight: 0.5\n"
                        + "  all_negs: true\n",
                "t.yaml");
        assertEquals(
                new RelationConfig("bought", "user", "item", OperatorName.DIAGONAL, 0.5, true),
                c.discoveredRelation("bought"));
        // one entity type: the template's operator, the only type for the sides it leaves out
        TesseraConfig one = ConfigLoader.parse(
                "entities:\n  n: {}\ndiscover_relations: true\n" + "relation_template: {operator: complex_diagonal}\n",
                "t.yaml");
        assertEquals(
                new RelationConfig("r", "n", "n", OperatorName.COMPLEX_DIAGONAL, 1.0, false),
                one.discoveredRelation("r"));
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tessera.yaml");
        Files.writeString(file, VALID_YAML, StandardCharsets.UTF_8);
        assertEquals(ConfigLoader.parse(VALID_YAML, "x"), ConfigLoader.load(file));

        Files.writeString(file, HEAD + "lr: 0\n", StandardCharsets.UTF_8);
        ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals("invalid config " + file + ":\n  lr (line 5): 0 is out of range; allowed: > 0", bad.getMessage());

        Path missing = dir.resolve("missing.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(1, e.problems().size());
        assertTrue(
                e.problems().get(0).startsWith("cannot read the file: "),
                e.problems().toString());
        assertTrue(
                e.getMessage().startsWith("invalid config " + missing + ":\n  cannot read the file"), e.getMessage());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void unknownTopLevelKeySuggestsTheClosest() {
        assertEquals(
                "num_epoch (line 5): unknown key 'num_epoch'; did you mean 'num_epochs'?",
                only(HEAD + "num_epoch: 3\n"));
        assertEquals(
                "dimesion (line 6): unknown key 'dimesion'; did you mean 'dimension'?",
                only(HEAD + "lr: 0.1\ndimesion: 8\n"));
    }

    @Test
    void unknownKeyInsideAnEntityType() {
        assertEquals(
                "entities.user.num_partition (line 4): unknown key 'num_partition'; did you mean "
                        + "'num_partitions'?",
                only("entities:\n  a: {}\n  user:\n    num_partition: 2\n"
                        + "relations:\n  - {name: r, lhs: a, rhs: user}\n"));
    }

    @Test
    void unknownKeyInsideARelation() {
        assertEquals(
                "relations[1].operater (line 8): unknown key 'operater'; did you mean 'operator'?",
                only("entities:\n  a: {}\nrelations:\n  - {name: r, lhs: a, rhs: a}\n"
                        + "  - name: s\n    lhs: a\n    rhs: a\n    operater: linear\n"));
    }

    @Test
    void unknownKeyInsideTheTemplate() {
        assertEquals(
                "relation_template.name (line 5): unknown key 'name'; did you mean 'lhs'?",
                only("entities:\n  a: {}\ndiscover_relations: true\nrelation_template:\n  name: x\n"));
    }

    @Test
    void relationNamingAnUndeclaredEntityType() {
        assertEquals(
                "relations[0].rhs (line 5): relation 'likes' names entity type 'itme', which is not declared "
                        + "under 'entities' (declared: item, user)",
                only("entities:\n  user: {}\n  item: {}\nrelations:\n  - {name: likes, lhs: user, rhs: itme}\n"));
    }

    @Test
    void templateNamingAnUndeclaredEntityType() {
        assertEquals(
                "relation_template.lhs (line 5): discovered relations would name entity type 'usr', which is "
                        + "not declared under 'entities' (declared: item, user)",
                only("entities:\n  user: {}\n  item: {}\ndiscover_relations: true\n"
                        + "relation_template: {lhs: usr, rhs: item}\n"));
    }

    @Test
    void wrongTypes() {
        assertEquals("dimension (line 5): expected an integer, got 'abc'", only(HEAD + "dimension: abc\n"));
        assertEquals("dimension (line 5): expected an integer, got '1.5'", only(HEAD + "dimension: 1.5\n"));
        assertEquals("num_epochs (line 5): expected an integer, got '10'", only(HEAD + "num_epochs: \"10\"\n"));
        assertEquals("bias (line 5): expected true or false, got 'maybe'", only(HEAD + "bias: maybe\n"));
        assertEquals("global_emb (line 5): expected true or false, got '1'", only(HEAD + "global_emb: 1\n"));
        assertEquals("margin (line 5): expected a number, got a list", only(HEAD + "margin: [1, 2]\n"));
        assertEquals("lr (line 5): expected a number, got 'fast'", only(HEAD + "lr: fast\n"));
        assertEquals(
                "comparator (line 5): expected one of dot, cos, l2, squared_l2, got a mapping",
                only(HEAD + "comparator: {a: 1}\n"));
        assertEquals(
                "entities.a.featurized (line 2): expected true or false, got 'sure'",
                only("entities:\n  a: {featurized: sure}\nrelations:\n  - {name: r, lhs: a, rhs: a}\n"));
        assertEquals(
                "relations[0].weight (line 4): expected a number, got 'heavy'",
                only("entities:\n  a: {}\nrelations:\n  - {name: r, lhs: a, rhs: a, weight: heavy}\n"));
    }

    @Test
    void wholeNumberWrittenAsFloatIsAnInteger() {
        assertEquals(
                16, ConfigLoader.parse(HEAD + "dimension: 16.0\n", "t.yaml").dimension());
        assertEquals(2.0, ConfigLoader.parse(HEAD + "lr: 2\n", "t.yaml").lr());
    }

    @Test
    void outOfRangeValues() {
        assertEquals("lr (line 5): 0 is out of range; allowed: > 0", only(HEAD + "lr: 0\n"));
        assertEquals(
                "eval_fraction (line 5): 1.5 is out of range; allowed: [0, 1)", only(HEAD + "eval_fraction: 1.5\n"));
        assertEquals(
                "eval_fraction (line 5): 1.0 is out of range; allowed: [0, 1)", only(HEAD + "eval_fraction: 1.0\n"));
        assertEquals("margin (line 5): -0.5 is out of range; allowed: >= 0", only(HEAD + "margin: -0.5\n"));
        assertEquals(
                "partition_buffer (line 5): 1 is out of range; allowed: [2, 32768]",
                only(HEAD + "partition_buffer: 1\n"));
        assertEquals(
                "entities.a.num_partitions (line 3): 0 is out of range; allowed: [1, 32768]",
                only("entities:\n  a:\n    num_partitions: 0\nrelations:\n  - {name: r, lhs: a, rhs: a}\n"));
        assertEquals(
                "batch_size (line 5): 99999999999 is out of range; allowed: [1, 100000000]",
                only(HEAD + "batch_size: 99999999999\n"));
        // the edges of the ranges are accepted
        TesseraConfig ok = ConfigLoader.parse(HEAD + "eval_fraction: 0\nmargin: 0\npartition_buffer: 2\n", "t.yaml");
        assertEquals(0.0, ok.evalFraction());
    }

    @Test
    void badEnumValueSuggestsTheClosest() {
        assertEquals(
                "comparator (line 5): 'dott' is not allowed; allowed: dot, cos, l2, squared_l2 "
                        + "(did you mean 'dot'?)",
                only(HEAD + "comparator: dott\n"));
        assertEquals(
                "relations[0].operator (line 4): 'translate' is not allowed; allowed: none, translation, "
                        + "diagonal, linear, affine, complex_diagonal, rotate (did you mean 'translation'?)",
                only("entities:\n  a: {}\nrelations:\n  - {name: r, lhs: a, rhs: a, operator: translate}\n"));
    }

    @Test
    void missingRequiredRelationLhs() {
        assertEquals(
                "relations[0].lhs (line 4): required key is missing (Entity type of the source (left-hand "
                        + "side) column.)",
                only("entities:\n  a: {}\nrelations:\n  - name: r\n    rhs: a\n"));
    }

    @Test
    void missingEntities() {
        List<String> p = problems("relations:\n  - {name: r, lhs: a, rhs: a}\n");
        assertEquals(
                "entities (line 1): required key is missing (Entity types: name → settings (see the entity "
                        + "keys below).)",
                p.get(0));
        assertTrue(
                p.contains("relations[0].lhs (line 2): relation 'r' names entity type 'a', which is not declared "
                        + "under 'entities' (declared: )"),
                p.toString());
    }

    @Test
    void emptyEntities() {
        assertTrue(problems("entities: {}\ndiscover_relations: true\n")
                .contains("entities (line 1): at least one entity type is needed"));
        assertEquals(
                "entities (line 1): expected a mapping of entity type name to settings",
                problems("entities: [a, b]\ndiscover_relations: true\n").get(0));
    }

    @Test
    void duplicateRelationNames() {
        assertEquals(
                "relations[2].name (line 6): relation 'r' is declared twice",
                only("entities:\n  a: {}\nrelations:\n  - {name: r, lhs: a, rhs: a}\n  - {name: s, lhs: a, rhs: a}\n"
                        + "  - {name: r, lhs: a, rhs: a, operator: linear}\n"));
    }

    @Test
    void noRelationsWithoutDiscovery() {
        String expected = "relations: no relation is declared; declare some or set discover_relations: true";
        assertEquals(expected, only("entities:\n  a: {}\n"));
        assertEquals(expected, only("entities:\n  a: {}\nrelations: []\n"));
        assertEquals(expected, only("entities:\n  a: {}\nrelations:\ndiscover_relations: false\n"));
    }

    @Test
    void discoveryWithSeveralEntityTypesNeedsATemplate() {
        assertEquals(
                "relation_template: discover_relations needs relation_template.lhs and .rhs when there is "
                        + "more than one entity type (declared: item, user)",
                only("entities:\n  user: {}\n  item: {}\ndiscover_relations: true\n"));
    }

    @Test
    void notAMappingOrNotYaml() {
        assertEquals("the config must be a mapping of keys to values", only("- a\n- b\n"));
        assertEquals("the config must be a mapping of keys to values", only(""));
        String bad = only("entities: {a: [\n");
        assertTrue(bad.startsWith("not valid YAML or JSON: "), bad);
        assertEquals(
                "relations (line 3): expected a list of relations",
                only("entities:\n  a: {}\nrelations: r\ndiscover_relations: true\n"));
        assertEquals(
                "relations[0] (line 5): expected a mapping of relation settings",
                only("entities:\n  a: {}\ndiscover_relations: true\nrelations:\n  - r\n"));
    }

    @Test
    void severalProblemsAreReportedAtOnce() {
        String text = String.join(
                "\n",
                "entities:", // 1
                "  user:", // 2
                "    num_partitions: 0", // 3
                "relations:", // 4
                "  - {name: r, lhs: user, rhs: itm}", // 5
                "  - {name: r, lhs: user, rhs: user}", // 6
                "comparator: dott", // 7
                "lr: -1", // 8
                "num_epoch: 2", // 9
                "bias: maybe", // 10
                "");
        List<String> p = problems(text);
        assertEquals(
                List.of(
                        "num_epoch (line 9): unknown key 'num_epoch'; did you mean 'num_epochs'?",
                        "comparator (line 7): 'dott' is not allowed; allowed: dot, cos, l2, squared_l2 (did you mean 'dot'?)",
                        "lr (line 8): -1 is out of range; allowed: > 0",
                        "bias (line 10): expected true or false, got 'maybe'",
                        "entities.user.num_partitions (line 3): 0 is out of range; allowed: [1, 32768]",
                        "relations[0].rhs (line 5): relation 'r' names entity type 'itm', which is not declared under "
                                + "'entities' (declared: user)",
                        "relations[1].name (line 6): relation 'r' is declared twice"),
                p);
        assertEquals(7, p.size());

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "many.yaml"));
        assertEquals("invalid config many.yaml:\n  " + String.join("\n  ", p), e.getMessage());
    }

    @Test
    void duplicateKeysAreRejected() {
        assertEquals("lr (line 6): duplicate key 'lr'", only(HEAD + "lr: 0.1\nlr: 0.2\n"));
    }

    @Test
    void partitionedTypesMustShareOnePartitionCount() {
        String text = "entities:\n  a: {num_partitions: 4}\n  b: {num_partitions: 8}\n  c: {}\n"
                + "relations:\n  - {name: r, lhs: a, rhs: b}\n";
        assertEquals(
                "entities.b.num_partitions: 8 differs from entities.a.num_partitions: 4; partitioned entity "
                        + "types must share one partition count (others use 1)",
                only(text));
    }

    @Test
    void nonDecimalIntegersAreRejectedWithAMessage() {
        assertEquals("num_epochs (line 5): expected a decimal integer, got '0x10'", only(HEAD + "num_epochs: 0x10\n"));
    }

    @Test
    void templateWithoutSidesIsRejectedForSeveralTypes() {
        String text = "entities: {a: {}, b: {}}\ndiscover_relations: true\nrelation_template: {operator: diagonal}\n";
        assertTrue(only(text).startsWith("relation_template: discover_relations needs relation_template.lhs"));
    }
}
