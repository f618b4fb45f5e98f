package dev.tessera.gcn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.EntityRef;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.Split;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeOrderTest {

    /** {@code perm} with {@code perm[i]} a shuffle of 0..n-1. */
    private static int[] shuffled(int n, Random r) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    @Test
    void aPathScatteredOverTheNumbersComesOutInPathOrder() {
        // Nodes 0..59 under a random numbering: a path over the first 50, a triangle, and 7 isolated nodes.
        int n = 60;
        int[] label = shuffled(n, new Random(3));
        int[] src = new int[52];
        int[] dst = new int[52];
        for (int i = 0; i < 49; i++) {
            src[i] = label[i];
            dst[i] = label[i + 1];
        }
        int[][] triangle = {{50, 51}, {51, 52}, {52, 50}};
        for (int i = 0; i < 3; i++) {
            src[49 + i] = label[triangle[i][0]];
            dst[49 + i] = label[triangle[i][1]];
        }
        int[] newOfOld = NodeOrder.breadthFirst(SymmetricAdjacency.of(n, src, dst, false));

        boolean[] seen = new boolean[n];
        for (int v : newOfOld) {
            seen[v] = true;
        }
        for (boolean s : seen) {
            assertEquals(true, s, "a permutation of the nodes");
        }
        for (int i = 0; i < 49; i++) {
            assertEquals(
                    1,
                    Math.abs(newOfOld[src[i]] - newOfOld[dst[i]]),
                    "a path started from an end is numbered along it");
        }
        for (int i = 53; i < n; i++) {
            assertEquals(true, newOfOld[label[i]] < 7, "isolated nodes (degree 0) come first");
        }
    }

    /** Renumbering moves rows and columns of Â together: Â'[new u][new v] = Â[u][v]. */
    @Test
    void theRenumberedAdjacencyIsTheSameMatrixPermuted() {
        Random r = new Random(5);
        int n = 200;
        int[] src = new int[700];
        int[] dst = new int[700];
        for (int i = 0; i < src.length; i++) {
            src[i] = r.nextInt(n);
            dst[i] = (int) (n * Math.pow(r.nextDouble(), 3));
        }
        float[] before = NormalizedAdjacency.of(n, src, dst).toDense();
        int[] newOfOld = NodeOrder.breadthFirst(SymmetricAdjacency.of(n, src, dst, false));
        NodeOrder.renumber(src, newOfOld);
        NodeOrder.renumber(dst, newOfOld);
        float[] after = NormalizedAdjacency.of(n, src, dst).toDense();
        for (int u = 0; u < n; u++) {
            for (int v = 0; v < n; v++) {
                assertEquals(before[u * n + v], after[newOfOld[u] * n + newOfOld[v]], 1e-7f);
            }
        }
    }

    @Test
    void aRenumberedIndexMapsEveryEntityToItsNewNodeAndBack() {
        TesseraConfig schema = ConfigLoader.parse(
                "entities: {a: {num_partitions: 2}, b: {num_partitions: 1}}\n"
                        + "relations: [{name: link, lhs: a, rhs: b}]\n",
                "test");
        Map<Split, long[][]> edges = new EnumMap<>(Split.class);
        edges.put(Split.TRAIN, new long[][] {{0, 0}, {0, 0}});
        GraphMeta meta = new GraphMeta(schema, 2, Map.of("a", new long[] {3, 0}, "b", new long[] {4}), edges, Map.of());
        NodeIndex stored = NodeIndex.of(meta);
        int[] newOfOld = shuffled(stored.size(), new Random(9));
        NodeIndex index = stored.renumbered(newOfOld);
        EntityRef[] entities = {
            new EntityRef(0, 0, 0),
            new EntityRef(0, 0, 1),
            new EntityRef(0, 0, 2),
            new EntityRef(1, 0, 0),
            new EntityRef(1, 0, 1),
            new EntityRef(1, 0, 2),
            new EntityRef(1, 0, 3)
        };
        int[] nodes = new int[entities.length];
        for (int i = 0; i < entities.length; i++) {
            assertEquals(i, stored.node(entities[i]));
            nodes[i] = index.node(entities[i]);
            assertEquals(newOfOld[i], nodes[i]);
            assertEquals(entities[i], index.entity(nodes[i]));
        }
        assertArrayEquals(newOfOld, nodes);
        assertThrows(IllegalArgumentException.class, () -> stored.renumbered(new int[] {0, 1, 2, 3, 4, 5, 5}));
        assertThrows(IllegalArgumentException.class, () -> index.entity(7));
    }
}
