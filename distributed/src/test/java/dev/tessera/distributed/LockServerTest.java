package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.BucketOrderName;
import dev.tessera.core.config.ConfigLoader;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.Split;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LockServerTest {
    private static final long LEASE = 1_000;

    /** P×P buckets, all with edges except (0, 1). */
    private static GraphMeta meta(int p) {
        Map<Split, long[][]> edges = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            long[][] grid = new long[p][p];
            for (long[] row : grid) {
                java.util.Arrays.fill(row, 10);
            }
            grid[0][1] = 0;
            edges.put(s, grid);
        }
        return new GraphMeta(
                ConfigLoader.parse(
                        "entities:\n  e: {num_partitions: " + p + "}\nrelations:\n  - {name: r, lhs: e, rhs: e}\n",
                        "test"),
                p,
                Map.of("e", new long[p]),
                edges,
                Map.of());
    }

    @Test
    void everyBucketWithEdgesExactlyOnceAndNeverTwoTrainersOnOnePartition() {
        LockServer server = new LockServer(meta(4), BucketOrderName.RANDOM, 2, 7, 3, LEASE);
        Set<List<Integer>> trained = new HashSet<>();
        LockServer.Grant[] current = new LockServer.Grant[3];
        long now = 0;
        int rounds = 0;
        while (true) {
            boolean allDone = true;
            for (int rank = 0; rank < 3; rank++) {
                if (current[rank] != null) {
                    assertEquals(MessageType.OK, server.finished(rank, 0, current[rank].lease(), 10, 0));
                    assertTrue(trained.add(List.of(current[rank].lhs(), current[rank].rhs())), "trained twice");
                    current[rank] = null;
                }
                LockServer.Grant g = server.request(rank, 0, -1, -1, now);
                if (g.status() == MessageType.GRANTED) {
                    for (LockServer.Grant other : current) {
                        if (other != null) {
                            Set<Integer> mine = new HashSet<>(List.of(g.lhs(), g.rhs()));
                            assertTrue(!mine.contains(other.lhs()) && !mine.contains(other.rhs()), "shared partition");
                        }
                    }
                    current[rank] = g;
                }
                allDone &= g.status() == MessageType.EPOCH_DONE;
            }
            if (allDone) {
                break;
            }
            assertTrue(++rounds < 100, "the epoch never ended");
        }
        assertEquals(15, trained.size());
        JobProgress p = server.progress();
        assertEquals(15, p.bucketsDone());
        assertEquals(15 * 10, p.edges());
        assertTrue(trained.stream().noneMatch(b -> b.equals(List.of(0, 1))), "the empty bucket is skipped");
        LockServer.EpochRecord e = server.history().get(0);
        assertTrue(e.eachOnce());
        assertEquals(15, e.buckets());
    }

    @Test
    void prefersABucketSharingAPartitionWithTheLastOne() {
        LockServer server = new LockServer(meta(4), BucketOrderName.RANDOM, 2, 7, 1, LEASE);
        LockServer.Grant first = server.request(0, 0, -1, -1, 0);
        server.finished(0, 0, first.lease(), 10, 0);
        LockServer.Grant next = server.request(0, 0, first.lhs(), first.rhs(), 0);
        Set<Integer> last = new HashSet<>(List.of(first.lhs(), first.rhs()));
        assertTrue(last.contains(next.lhs()) || last.contains(next.rhs()), first + " then " + next);
    }

    @Test
    void anExpiredLeaseGoesToAnotherTrainerAndItsLateReceiptIsStale() {
        LockServer server = new LockServer(meta(2), BucketOrderName.RANDOM, 2, 7, 2, LEASE);
        LockServer.Grant lost = server.request(0, 0, -1, -1, 0);
        server.heartbeat(0, lost.lease(), 900); // renewed until 1900
        server.expireLeases(1_500);
        assertEquals(0, server.expiredLeases());
        server.expireLeases(2_000);
        assertEquals(1, server.expiredLeases());
        LockServer.Grant again = server.request(1, 0, lost.lhs(), lost.rhs(), 2_000);
        assertEquals(MessageType.GRANTED, again.status());
        assertEquals(MessageType.STALE, server.finished(0, 0, lost.lease(), 10, 0));
        assertEquals(MessageType.OK, server.finished(1, 0, again.lease(), 10, 0));
    }

    @Test
    void theNextEpochStartsOnlyWhenThisOneIsDone() {
        LockServer server = new LockServer(meta(2), BucketOrderName.RANDOM, 2, 7, 2, LEASE);
        LockServer.Grant g = server.request(0, 0, -1, -1, 0);
        assertEquals(MessageType.WAIT, server.request(1, 1, -1, -1, 0).status());
        server.finished(0, 0, g.lease(), 10, 0);
        for (LockServer.Grant h = server.request(0, 0, -1, -1, 0);
                h.status() == MessageType.GRANTED;
                h = server.request(0, 0, -1, -1, 0)) {
            server.finished(0, 0, h.lease(), 10, 0);
        }
        assertEquals(MessageType.GRANTED, server.request(1, 1, -1, -1, 0).status());
    }
}
