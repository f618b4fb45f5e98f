package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tessera;
import dev.tessera.jobs.ChildJvm;
import dev.tessera.jobs.TestSpark;
import dev.tessera.serving.EmbeddingModel;
import dev.tessera.storage.TrainedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code update} writes to two databases: the checkpoint's new rows and the graph's new entities. A process
 * that dies (halted, no shutdown hooks, no closing of RocksDB) at either side of the graph's write leaves a
 * graph and checkpoint that open together: before it, both as they were; after it, the checkpoint commits
 * on the next open.
 */
class UpdateCrashIT {
    private static final int EPOCHS = 5;

    /** Runs {@code update} and halts the JVM at {@code args[3]}: "training" (last epoch) or "graph" (grown). */
    public static void main(String[] args) {
        String haltAt = args[3];
        Tessera.update(
                Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), null, EPOCHS, new Tessera.UpdateListener() {
                    @Override
                    public void onEpoch(int epoch, double meanLoss, double edgesPerSecond) {
                        if (haltAt.equals("training") && epoch == EPOCHS - 1) {
                            Runtime.getRuntime().halt(137);
                        }
                    }

                    @Override
                    public void onGraphGrown(int entities, int edges) {
                        if (haltAt.equals("graph")) {
                            Runtime.getRuntime().halt(137);
                        }
                    }
                });
        System.exit(0);
    }

    @Test
    void dyingAfterTheGraphGrewLeavesACheckpointThatCommitsOnTheNextOpen(@TempDir Path tmp) throws Exception {
        TrainedFixture.Trained kinship = TrainedFixture.train(tmp, "kinship", "dot");
        int before = latestVersion(kinship);
        Path edges = newcomerEdges(tmp);
        assertEquals(137, halted(tmp, kinship, edges, "graph"));
        try (EmbeddingModel m = EmbeddingModel.open(kinship.graph(), kinship.checkpoint())) {
            assertEquals(16, m.vector("newcomer").length);
            assertEquals(5, m.nearest("newcomer", 5).size());
        }
        assertEquals(before + 1, latestVersion(kinship), "the staged version is the latest");
        TrainedFixture.Run again = TrainedFixture.cli(
                "eval",
                "--graph",
                kinship.graph().toString(),
                "--checkpoint",
                kinship.checkpoint().toString(),
                "--split",
                "test",
                "--json");
        assertEquals(0, again.exitCode(), again.stdout());
    }

    @Test
    void dyingBeforeTheGraphGrewLeavesBothAsTheyWereAndTheUpdateCanRunAgain(@TempDir Path tmp) throws Exception {
        TrainedFixture.Trained kinship = TrainedFixture.train(tmp, "kinship", "dot");
        int before = latestVersion(kinship);
        Path edges = newcomerEdges(tmp);
        assertEquals(137, halted(tmp, kinship, edges, "training"));
        try (EmbeddingModel m = EmbeddingModel.open(kinship.graph(), kinship.checkpoint())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.vector("newcomer"));
            assertTrue(e.getMessage().contains("unknown entity 'newcomer'"), e.getMessage());
        }
        assertEquals(before, latestVersion(kinship));
        TrainedFixture.Run rerun = TrainedFixture.cli(
                "update",
                "--graph",
                kinship.graph().toString(),
                "--checkpoint",
                kinship.checkpoint().toString(),
                "--edges",
                edges.toString(),
                "--epochs",
                "2",
                "--json");
        assertEquals(0, rerun.exitCode(), rerun.stdout());
        try (EmbeddingModel m = EmbeddingModel.open(kinship.graph(), kinship.checkpoint())) {
            assertEquals(16, m.vector("newcomer").length);
        }
        assertEquals(before + 1, latestVersion(kinship));
    }

    /** A person named "newcomer" with the first ten training edges of a real one, renamed. */
    private static Path newcomerEdges(Path tmp) throws IOException {
        List<String> lines = Files.readAllLines(TestSpark.data("kg/kinship/train.txt"));
        String person = lines.get(0).split("\t")[0];
        List<String> theirs = new ArrayList<>();
        for (String l : lines) {
            String[] t = l.split("\t");
            if (t.length == 3 && t[0].equals(person) && !t[2].equals(person) && theirs.size() < 10) {
                theirs.add("newcomer\t" + t[1] + "\t" + t[2]);
            }
        }
        return Files.write(tmp.resolve("newcomer.tsv"), theirs);
    }

    private static int halted(Path tmp, TrainedFixture.Trained kinship, Path edges, String at) throws Exception {
        Process p = ChildJvm.java(
                        System.getProperty("java.class.path"),
                        List.of(
                                UpdateCrashIT.class.getName(),
                                kinship.graph().toString(),
                                kinship.checkpoint().toString(),
                                edges.toString(),
                                at),
                        tmp.resolve("update-" + at + ".log"))
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "update finishes or halts");
        return p.exitValue();
    }

    private static int latestVersion(TrainedFixture.Trained t) {
        try (TrainedGraph opened = TrainedGraph.open(t.graph(), t.checkpoint())) {
            return opened.checkpoint().latest().orElseThrow().version();
        }
    }
}
