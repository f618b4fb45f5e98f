package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    private static final long DEAD = 5 * LEASE;

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
        LockServer server = new LockServer(meta(4), BucketOrderName.RANDOM, 2, 7, 3, LEASE, DEAD);
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
        EpochRecord e = server.history().get(0);
        assertTrue(e.eachOnce());
        assertEquals(15, e.buckets());
    }

    @Test
    void prefersABucketSharingAPartitionWithTheLastOne() {
        LockServer server = new LockServer(meta(4), BucketOrderName.RANDOM, 2, 7, 1, LEASE, DEAD);
        LockServer.Grant first = server.request(0, 0, -1, -1, 0);
        server.finished(0, 0, first.lease(), 10, 0);
        LockServer.Grant next = server.request(0, 0, first.lhs(), first.rhs(), 0);
        Set<Integer> last = new HashSet<>(List.of(first.lhs(), first.rhs()));
        assertTrue(last.contains(next.lhs()) || last.contains(next.rhs()), first + " then " + next);
    }

    @Test
    void anExpiredLeaseGoesToAnotherTrainerAndItsLateReceiptIsStale() {
        LockServer server = new LockServer(meta(2), BucketOrderName.RANDOM, 2, 7, 2, LEASE, DEAD);
        LockServer.Grant lost = server.request(0, 0, -1, -1, 0);
        server.heartbeat(0, lost.lease(), 900); // renewed until 1900
        server.expireLeases(1_500);
        assertEquals(0, server.expiredLeases());
        server.expireLeases(2_000);
        assertEquals(1, server.expiredLeases());
        LockServer.Grant again = server.request(1, 0, lost.lhs(), lost.rhs(), 2_000);
        assertEquals(MessageType.GRANTED, again.status());
        assertEquals(lost.index(), again.index(), "the lapsed bucket is the one handed out again");
        assertEquals(MessageType.STALE, server.finished(0, 0, lost.lease(), 10, 0));
        assertEquals(MessageType.OK, server.finished(1, 0, again.lease(), 10, 0));
    }

    @Test
    void aSilentTrainerLosesItsLeaseAndIsToldSoWhenItAsksAgain() {
        LockServer server = new LockServer(meta(2), BucketOrderName.RANDOM, 2, 7, 2, LEASE, DEAD);
        server.heartbeat(0, 0, 1); // trainer 0 is alive throughout, without a lease
        LockServer.Grant held = server.request(1, 0, -1, -1, 1);
        assertEquals(MessageType.GRANTED, held.status());
        server.heartbeat(0, 0, LEASE / 2);
        server.heartbeat(1, held.lease(), LEASE / 2); // then trainer 1 is paused
        server.heartbeat(0, 0, LEASE);
        assertEquals(List.of(), server.silentTrainers(LEASE));
        server.heartbeat(0, 0, 3 * LEASE / 2);
        assertEquals(List.of(1), server.silentTrainers(3 * LEASE / 2 + 1));
        assertEquals(List.of(), server.silentTrainers(3 * LEASE / 2 + 2), "reported once");
        assertEquals(1, server.expiredLeases());

        // Trainer 0 gets the bucket trainer 1 held; trainer 1, back, has its receipt refused and is told.
        LockServer.Grant again = server.request(0, 0, -1, -1, 2 * LEASE);
        assertEquals(held.index(), again.index());
        server.heartbeat(1, held.lease(), 2 * LEASE);
        assertEquals(MessageType.STALE, server.finished(1, 0, held.lease(), 10, 0));
        assertEquals(
                MessageType.LAPSED,
                server.request(1, 0, held.lhs(), held.rhs(), 2 * LEASE).status());
        assertEquals(
                MessageType.GRANTED, server.request(1, 0, -1, -1, 2 * LEASE).status());
    }

    @Test
    void aBucketHandedBackUntrainedIsPendingAgainAndNotCounted() {
        LockServer server = new LockServer(meta(2), BucketOrderName.RANDOM, 2, 7, 1, LEASE, DEAD);
        LockServer.Grant g = server.request(0, 0, -1, -1, 0);
        assertEquals(MessageType.OK, server.abandoned(0, 0, g.lease()));
        assertEquals(MessageType.STALE, server.abandoned(0, 0, g.lease()), "only once");
        int trained = 0;
        for (LockServer.Grant next = server.request(0, 0, -1, -1, 0);
                next.status() == MessageType.GRANTED;
                next = server.request(0, 0, -1, -1, 0)) {
            assertEquals(MessageType.OK, server.finished(0, 0, next.lease(), 10, 0));
            trained++;
        }
        assertEquals(3, trained);
        EpochRecord epoch = server.history().get(0);
        assertTrue(epoch.eachOnce());
        assertEquals(1, epoch.abandoned());
        assertEquals(0, epoch.lapsedLeases());
    }

    @Test
    void noBucketNeedingASilentHomesPartitionIsGranted() {
        // P = 2, two trainers: partition 0's home is trainer 0, partition 1's is trainer 1.
        LockServer server = new LockServer(meta(2), BucketOrderName.RANDOM, 2, 7, 2, LEASE, DEAD);
        server.heartbeat(1, 0, 1);
        server.heartbeat(0, 0, LEASE + 2);
        assertEquals(List.of(1), server.silentTrainers(LEASE + 2));
        for (int i = 0; i < 3; i++) {
            LockServer.Grant g = server.request(0, 0, -1, -1, LEASE + 2);
            if (g.status() != MessageType.GRANTED) {
                assertEquals(MessageType.WAIT, g.status());
                assertEquals(1, i, "only (0, 0) avoids partition 1");
                return;
            }
            assertEquals(0, g.lhs());
            assertEquals(0, g.rhs());
            server.finished(0, 0, g.lease(), 10, 0);
        }
    }

    @Test
    void anEpochWithALapsedLeaseStillTrainsEachBucketOnceAndCountsWhatWasLost() {
        LockServer server = new LockServer(meta(2), BucketOrderName.RANDOM, 2, 7, 2, LEASE, DEAD);
        LockServer.Grant lost = server.request(0, 0, -1, -1, 0);
        server.expireLeases(LEASE + 1);
        assertEquals(MessageType.STALE, server.finished(0, 0, lost.lease(), 10, 0));
        for (int trained = 0; ; trained++) {
            LockServer.Grant g = server.request(1, 0, -1, -1, LEASE + 1);
            if (g.status() == MessageType.EPOCH_DONE) {
                assertEquals(3, trained); // 2×2 buckets, (0, 1) without edges
                break;
            }
            assertEquals(MessageType.OK, server.finished(1, 0, g.lease(), 10, 0));
        }
        EpochRecord epoch = server.history().get(0);
        assertTrue(epoch.eachOnce());
        assertEquals(1, epoch.lapsedLeases());
        assertEquals(10, epoch.edgesLost());
        assertArrayEquals(new int[] {0, 3}, epoch.bucketsByRank());
    }

    @Test
    void theNextEpochStartsOnlyWhenThisOneIsDone() {
        LockServer server = new LockServer(meta(2), BucketOrderName.RANDOM, 2, 7, 2, LEASE, DEAD);
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

    @Test
    void aDeadTrainersHomesMoveToLiveTrainersWithWhatTheyLostAndItsRequestsAreRefused() {
        // P = 4, three trainers: homes 0, 1, 2, 0.
        LockServer server = new LockServer(meta(4), BucketOrderName.RANDOM, 2, 7, 3, LEASE, DEAD);
        server.heartbeat(2, 0, 1);
        long trainedTouchingTwo = 0;
        for (int i = 0; i < 5; i++) { // five of the epoch's fifteen buckets, by trainer 0
            LockServer.Grant g = server.request(0, 0, -1, -1, 2);
            assertEquals(MessageType.GRANTED, g.status());
            server.finished(0, 0, g.lease(), 10, 0);
            trainedTouchingTwo += g.lhs() == 2 || g.rhs() == 2 ? 10 : 0;
        }
        server.heartbeat(1, 0, DEAD);
        server.heartbeat(0, 0, DEAD);
        assertEquals(List.of(), server.deadTrainers(DEAD), "silent for less than the dead timeout");
        assertEquals(List.of(2), server.deadTrainers(DEAD + 2));
        assertEquals(List.of(), server.deadTrainers(DEAD + 3), "taken for dead once");
        HomeMap homes = server.homes();
        assertEquals(1, homes.version());
        assertEquals(1, homes.homeOf(2), "to the live trainer with the fewest homes");
        assertEquals(List.of(0, 3), homes.partsOf(0));
        assertEquals(2, server.liveTrainers());
        assertEquals(MessageType.EVICTED, server.request(2, 0, -1, -1, DEAD + 3).status());
        for (LockServer.Grant g = server.request(0, 0, -1, -1, DEAD + 3);
                g.status() != MessageType.EPOCH_DONE;
                g = server.request(0, 0, -1, -1, DEAD + 3)) {
            server.finished(0, 0, g.lease(), 10, 0);
        }
        EpochRecord epoch = server.history().get(0);
        assertTrue(epoch.eachOnce());
        assertEquals(List.of(2), epoch.deadTrainers());
        assertEquals(List.of(new EpochRecord.Restored(0, 2, 2, 1, trainedTouchingTwo)), epoch.restored());
    }

    @Test
    void aHomeThatDiesAfterItsEpochWasCommittedLosesNothing() {
        LockServer server = new LockServer(meta(2), BucketOrderName.RANDOM, 2, 7, 2, LEASE, DEAD);
        server.heartbeat(1, 0, 1);
        for (LockServer.Grant g = server.request(0, 0, -1, -1, 1);
                g.status() != MessageType.EPOCH_DONE;
                g = server.request(0, 0, -1, -1, 1)) {
            server.finished(0, 0, g.lease(), 10, 0);
        }
        server.epochCommitted(0);
        server.heartbeat(0, 0, DEAD + 2);
        assertEquals(List.of(1), server.deadTrainers(DEAD + 2));
        assertEquals(0, server.homes().homeOf(1));
        for (LockServer.Grant g = server.request(0, 1, -1, -1, DEAD + 2);
                g.status() != MessageType.EPOCH_DONE;
                g = server.request(0, 1, -1, -1, DEAD + 2)) {
            server.finished(0, 1, g.lease(), 10, 0);
        }
        assertEquals(
                List.of(new EpochRecord.Restored(0, 1, 1, 0, 0)),
                server.history().get(1).restored());
    }

    @Test
    void aRestartedTrainerReplacesItsPredecessorWhoseLeaseAndHomesGoAndJoinsWithoutHomes() {
        LockServer server = new LockServer(meta(4), BucketOrderName.RANDOM, 2, 7, 3, LEASE, DEAD);
        assertTrue(!server.acceptsJoiners(), "no epoch is training yet");
        LockServer.Grant held = server.request(2, 0, -1, -1, 1);
        assertEquals(MessageType.GRANTED, held.status());
        assertTrue(server.acceptsJoiners());
        // Trainer 2's process restarts before the lock server noticed it had gone.
        assertTrue(server.rejoin(2, 2));
        assertEquals(List.of(), server.homes().partsOf(2));
        assertEquals(List.of(1, 2), server.homes().partsOf(1));
        assertEquals(3, server.liveTrainers());
        assertEquals(MessageType.STALE, server.finished(2, 0, held.lease(), 10, 0), "the old instance's lease");
        for (LockServer.Grant g = server.request(2, 0, -1, -1, 3);
                g.status() != MessageType.EPOCH_DONE;
                g = server.request(2, 0, -1, -1, 3)) {
            assertEquals(MessageType.GRANTED, g.status());
            server.finished(2, 0, g.lease(), 10, 0);
        }
        EpochRecord epoch = server.history().get(0);
        assertTrue(epoch.eachOnce());
        assertEquals(1, epoch.lapsedLeases());
        assertEquals(List.of(2), epoch.deadTrainers());
        assertEquals(List.of(2), epoch.joined());
        assertEquals(1, server.progress().joins());
    }
}
