package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.trainer.EmbeddingPartition;
import dev.tessera.trainer.PartitionsUnavailableException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two trainers' ends of a partition transfer in one JVM, over UDP on loopback: the home (rank 1) keeps
 * partition 1 of a type; rank 0 fetches and returns it. Chunks are small, so a partition is many frames.
 */
class PartitionFetcherTest {
    private static final int ROWS = 700;
    private static final int D = 12;
    private static final int CHUNK_FLOATS = 1_000;
    /** A fetch without progress for this long is tried again. */
    private static final long STALL = TimeUnit.MILLISECONDS.toNanos(500);
    /** Sends (connecting included) and waits for a partition out at another trainer. */
    private static final long PATIENCE = TimeUnit.SECONDS.toNanos(10);

    private static final HomeAdoption.Restorer NO_RESTORE = p -> {
        throw new AssertionError("no trainer dies here");
    };

    private final ExecutorService senders = Executors.newFixedThreadPool(2);
    private final AtomicInteger fetchesToDrop = new AtomicInteger();
    private final AtomicInteger fetchesSeen = new AtomicInteger();
    private AeronNode asker;
    private AeronNode homeNode;
    private PartitionServer home;
    private PartitionServer askerHomes;
    private PartitionFetcher fetcher;

    @BeforeEach
    void start() {
        List<InetSocketAddress> endpoints =
                Endpoints.free(List.of(InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress()));
        asker = new AeronNode(0, endpoints, PATIENCE, new TrainerAbort());
        homeNode = new AeronNode(1, endpoints, PATIENCE, new TrainerAbort());
        long[][] rowsOf = {{ROWS, ROWS}};
        Rpc askerRpc = new Rpc(asker, new Replies(0), CHUNK_FLOATS);
        // Restores as from a checkpoint, with values of its own: what the asker adopts if the home dies.
        askerHomes = new PartitionServer(askerRpc, senders, rowsOf, D, p -> {
            p.initialize(0.5, 99);
            return 3;
        });
        asker.start(new TrainerRoles(askerRpc, askerHomes, null, null, null, null));
        Rpc homeRpc = new Rpc(homeNode, new Replies(1), CHUNK_FLOATS);
        home = new PartitionServer(homeRpc, senders, rowsOf, D, NO_RESTORE);
        home.load(null, new int[][] {{0, 0}}, 0.1, 7);
        TrainerRoles roles = new TrainerRoles(homeRpc, home, null, null, null, null);
        homeNode.start(m -> {
            if (m.type() == MessageType.PARTITION_FETCH) {
                fetchesSeen.incrementAndGet();
                if (fetchesToDrop.getAndDecrement() > 0) {
                    return; // a fetch lost on the way: the asker hears nothing
                }
            }
            roles.onMessage(m);
        });
        fetcher = new PartitionFetcher(askerRpc, askerHomes, D, rowsOf, STALL, PATIENCE);
    }

    @AfterEach
    void stop() {
        asker.close();
        homeNode.close();
        senders.shutdownNow();
    }

    @Test
    void aFetchedPartitionIsTheHomesAndItsReturnedUpdatesAreKept() {
        EmbeddingPartition expected = new EmbeddingPartition(0, 1, ROWS, D);
        expected.initialize(0.1, 7);

        EmbeddingPartition p = fetcher.obtain(0, 1);
        assertArrayEquals(expected.embeddings, p.embeddings);
        assertArrayEquals(expected.state, p.state);
        assertEquals(1, fetcher.fetches());
        assertEquals(4L * (ROWS * D + ROWS), fetcher.bytesFetched());

        // Trained while away: the next fetch (after the return) sees the changes, embeddings and Adagrad state.
        p.embeddings[0] = 42f;
        p.embeddings[ROWS * D - 1] = -3f;
        p.state[ROWS - 1] = 9f;
        fetcher.giveBack(p);
        EmbeddingPartition again = fetcher.obtain(0, 1);
        assertEquals(42f, again.embeddings[0]);
        assertEquals(-3f, again.embeddings[ROWS * D - 1]);
        assertEquals(9f, again.state[ROWS - 1]);
        assertEquals(fetcher.bytesFetched(), 2 * fetcher.bytesReturned());
    }

    @Test
    void aPartitionTakenBackAfterALapsedLeaseComesHomeAsItLeftAndTheLateReturnIsDropped() {
        EmbeddingPartition p = fetcher.obtain(0, 1);
        float before = p.embeddings[3];
        p.embeddings[3] = before + 100f; // trained by a bucket whose lease then lapsed
        home.onRelease(0); // as the lock server asks when a holder goes silent
        assertEquals(1, home.released());

        fetcher.giveBack(p); // the paused trainer comes back and tries to return it: refused, dropped
        assertEquals(1, fetcher.staleReturns());
        assertEquals(0, fetcher.bytesReturned());
        EmbeddingPartition again = fetcher.obtain(0, 1);
        assertEquals(before, again.embeddings[3]);
    }

    @Test
    void aCopyFetchedFromAHomeThatDiedReplacesTheRestoredOneWhenThisTrainerAdoptsThePartition() {
        askerHomes.load(null, new int[][] {{0, 0}}, 0.1, 7); // its own home partition 0, as its first epoch does
        EmbeddingPartition p = fetcher.obtain(0, 1);
        p.embeddings[5] = 77f; // trained here after the fetch; then the home (rank 1) is taken for dead
        askerHomes.onHomeMap(HomeMap.initial(2, 2).withoutHome(1, r -> r == 0));
        assertEquals(0, askerHomes.homeOf(1));
        assertTrue(fetcher.homeMoved(p));

        fetcher.giveBack(p); // to its new home, this trainer: the copy replaces the restored values
        EmbeddingPartition adopted = fetcher.obtain(0, 1);
        assertEquals(77f, adopted.embeddings[5]);
        EmbeddingPartition restored = new EmbeddingPartition(0, 1, ROWS, D);
        restored.initialize(0.5, 99);
        assertTrue(restored.embeddings[6] != adopted.embeddings[6], "the copy's rows, not the restored ones");
        assertEquals(p.embeddings[6], adopted.embeddings[6]);
    }

    @Test
    void aReleaseForAnotherHolderChangesNothing() {
        EmbeddingPartition p = fetcher.obtain(0, 1);
        home.onRelease(2); // not the holder
        home.onRelease(1); // the home itself
        p.embeddings[3] = 55f;
        fetcher.giveBack(p);
        assertEquals(0, home.released());
        assertEquals(0, fetcher.staleReturns());
        assertEquals(55f, fetcher.obtain(0, 1).embeddings[3]);
    }

    @Test
    void aFetchThatStallsIsAskedAgain() {
        fetchesToDrop.set(2);
        EmbeddingPartition p = fetcher.obtain(0, 1);
        assertEquals(3, fetchesSeen.get());
        assertEquals(ROWS, p.rows);
        fetcher.giveBack(p);
    }

    @Test
    void aHomeThatNeverAnswersMakesThePartitionUnavailableNamingThePeer() {
        fetchesToDrop.set(Integer.MAX_VALUE);
        PartitionsUnavailableException e =
                assertThrows(PartitionsUnavailableException.class, () -> fetcher.obtain(0, 1));
        assertEquals(PartitionFetcher.TRIES, fetchesSeen.get());
        assertTrue(e.getMessage().contains("partition 0/1 from trainer 1"), e.getMessage());
    }

    @Test
    void aPartitionOutAtAnotherTrainerIsWaitedForThenFetched() throws Exception {
        EmbeddingPartition local = home.checkOutLocal(0, 1); // the home trainer trains a bucket with it
        local.embeddings[5] = 17f;
        Thread returner = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            home.checkIn(0, 1);
        });
        returner.start();
        EmbeddingPartition p = fetcher.obtain(0, 1);
        returner.join();
        assertEquals(17f, p.embeddings[5]);
        assertTrue(fetchesSeen.get() > 1, "the first fetch was answered BUSY");
    }
}
