package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.util.Json;
import dev.tessera.jobs.TestSpark;
import dev.tessera.serving.EmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tessera knn} and {@code predict} on kinship: the {@code --json} shape, agreement with the Java
 * API, exact and approximate search, and a clear error (exit code 1, {@code {"error": ...}}) for each
 * kind of bad request.
 */
class QueryCommandsIT {
    @TempDir
    static Path tmp;

    private static TrainedFixture.Trained kinship;
    private static String person;
    private static String relation;

    @BeforeAll
    static void train() throws Exception {
        kinship = TrainedFixture.train(tmp, "kinship", "dot");
        String[] first = Files.readAllLines(TestSpark.data("kg/kinship/train.txt"))
                .get(0)
                .split("\t");
        person = first[0];
        relation = first[1];
    }

    @Test
    void knnPrintsTheModelsNearestAsJson() {
        Map<String, Object> out = json(
                TrainedFixture.cli(
                        "knn",
                        "--graph",
                        kinship.graph().toString(),
                        "--checkpoint",
                        kinship.checkpoint().toString(),
                        "--entity",
                        person,
                        "--k",
                        "5",
                        "--json"),
                0);
        assertEquals(person, out.get("query"));
        assertEquals("dot", out.get("metric"));
        List<Map<String, Object>> results = results(out);
        assertEquals(5, results.size());
        try (EmbeddingModel m = EmbeddingModel.open(kinship.graph(), kinship.checkpoint())) {
            List<EmbeddingModel.Scored> want = m.nearest(person, 5);
            for (int i = 0; i < 5; i++) {
                assertEquals(want.get(i).entity(), results.get(i).get("entity"));
                assertEquals(want.get(i).score(), ((Number) results.get(i).get("score")).doubleValue(), 1e-6);
            }
        }
        assertFalse(results.stream().anyMatch(r -> r.get("entity").equals(person)), "itself is not listed");
        // HNSW over 104 entities with a beam of 100 sees them all: the same answer, by --approx.
        Map<String, Object> approx = json(
                TrainedFixture.cli(
                        "knn",
                        "--graph",
                        kinship.graph().toString(),
                        "--checkpoint",
                        kinship.checkpoint().toString(),
                        "--entity",
                        person,
                        "--k",
                        "5",
                        "--type",
                        "e",
                        "--approx",
                        "--json"),
                0);
        assertEquals(results, results(approx));
        // The graph was saved beside the checkpoint, for the next --approx to read instead of building.
        assertTrue(Files.isRegularFile(kinship.checkpoint().resolve("indexes").resolve("hnsw-type0.bin")));
    }

    @Test
    void knnRefusesBadRequestsClearly() {
        String g = kinship.graph().toString();
        String ck = kinship.checkpoint().toString();
        assertError(
                TrainedFixture.cli("knn", "--graph", g, "--checkpoint", ck, "--entity", "nobody", "--json"),
                "unknown entity 'nobody'");
        assertError(
                TrainedFixture.cli(
                        "knn", "--graph", g, "--checkpoint", ck, "--entity", person, "--type", "planet", "--json"),
                "unknown entity type 'planet'; the graph has [e]");
        assertError(
                TrainedFixture.cli("knn", "--graph", g, "--checkpoint", ck, "--entity", person, "--k", "0", "--json"),
                "--k must be positive, got 0");
        assertError(
                TrainedFixture.cli(
                        "knn", "--graph", g, "--checkpoint", ck, "--entity", person, "--exact", "--approx", "--json"),
                "give at most one of --exact and --approx");
    }

    @Test
    void aCheckpointOfAnotherGraphIsRefused(@TempDir Path other) {
        TrainedFixture.Trained nations = TrainedFixture.train(other, "nations", "dot");
        assertError(
                TrainedFixture.cli(
                        "knn",
                        "--graph",
                        kinship.graph().toString(),
                        "--checkpoint",
                        nations.checkpoint().toString(),
                        "--entity",
                        person,
                        "--json"),
                "belongs to another graph");
        assertError(
                TrainedFixture.cli(
                        "predict",
                        "--graph",
                        nations.graph().toString(),
                        "--checkpoint",
                        kinship.checkpoint().toString(),
                        "--head",
                        person,
                        "--relation",
                        relation,
                        "--json"),
                "belongs to another graph");
    }

    @Test
    void predictPrintsRankedTailsAndHeadsAsJson() {
        String g = kinship.graph().toString();
        String ck = kinship.checkpoint().toString();
        Map<String, Object> tails = json(
                TrainedFixture.cli(
                        "predict",
                        "--graph",
                        g,
                        "--checkpoint",
                        ck,
                        "--head",
                        person,
                        "--relation",
                        relation,
                        "--k",
                        "7",
                        "--filtered",
                        "--json"),
                0);
        assertEquals(person + " " + relation + " ?", tails.get("query"));
        assertEquals("score", tails.get("metric"));
        Map<String, Object> heads = json(
                TrainedFixture.cli(
                        "predict",
                        "--graph",
                        g,
                        "--checkpoint",
                        ck,
                        "--tail",
                        person,
                        "--relation",
                        relation,
                        "--k",
                        "3",
                        "--json"),
                0);
        assertEquals("? " + relation + " " + person, heads.get("query"));
        assertEquals(3, results(heads).size());
        try (EmbeddingModel m = EmbeddingModel.open(kinship.graph(), kinship.checkpoint())) {
            List<EmbeddingModel.Scored> want = m.topTails(person, relation, 7, true);
            List<Map<String, Object>> got = results(tails);
            assertEquals(7, got.size());
            for (int i = 0; i < 7; i++) {
                assertEquals(want.get(i).entity(), got.get(i).get("entity"));
                assertEquals(want.get(i).score(), ((Number) got.get(i).get("score")).doubleValue(), 1e-6);
            }
        }
        assertError(
                TrainedFixture.cli(
                        "predict",
                        "--graph",
                        g,
                        "--checkpoint",
                        ck,
                        "--head",
                        person,
                        "--tail",
                        person,
                        "--relation",
                        relation,
                        "--json"),
                "give exactly one of --head");
        assertError(
                TrainedFixture.cli(
                        "predict",
                        "--graph",
                        g,
                        "--checkpoint",
                        ck,
                        "--head",
                        person,
                        "--relation",
                        "no_such",
                        "--json"),
                "unknown relation 'no_such'");
        assertError(
                TrainedFixture.cli(
                        "predict",
                        "--graph",
                        g,
                        "--checkpoint",
                        ck,
                        "--head",
                        "nobody",
                        "--relation",
                        relation,
                        "--json"),
                "unknown entity 'nobody'");
        assertError(
                TrainedFixture.cli(
                        "predict",
                        "--graph",
                        g,
                        "--checkpoint",
                        ck,
                        "--head",
                        person,
                        "--relation",
                        relation,
                        "--k",
                        "-2",
                        "--json"),
                "k must be positive, got -2");
    }

    private static Map<String, Object> json(TrainedFixture.Run run, int exitCode) {
        assertEquals(exitCode, run.exitCode(), run.stdout());
        return Json.parseObject(run.stdout().trim());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Map<String, Object> out) {
        return (List<Map<String, Object>>) out.get("results");
    }

    private static void assertError(TrainedFixture.Run run, String message) {
        Map<String, Object> out = json(run, 1);
        assertTrue(String.valueOf(out.get("error")).contains(message), out.get("error") + " should say: " + message);
        assertEquals(1, out.size(), "only the error: " + out);
    }
}
