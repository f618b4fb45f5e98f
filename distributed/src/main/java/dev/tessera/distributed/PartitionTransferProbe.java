package dev.tessera.distributed;

import dev.tessera.trainer.EmbeddingPartition;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The partition-transfer protocol alone between two processes on this machine: a child process is the home
 * of one {@code rows × d} partition, and this process fetches it and gives it back, again and again, through
 * the trainers' own classes ({@link PartitionServer}, {@link PartitionFetcher}, {@link TrainerRoles}) and
 * channel settings, with no training beside it. Its rate, measured as a trainer measures its transfers
 * (request to last chunk, return to acknowledgement), against {@link AeronThroughput}'s raw rate is what
 * the protocol costs; the same rate during training also pays for the cores the workers take.
 */
public final class PartitionTransferProbe {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int TYPE = 0;
    /** Of two trainers, partition 1's home is rank 1: the child. */
    private static final int PART = 1;

    /** The probe's two trainers never die, so no partition is ever adopted. */
    private static final HomeAdoption.Restorer NO_RESTORE = p -> {
        throw new IllegalStateException("the probe adopts no partitions");
    };

    private PartitionTransferProbe() {}

    /** Moves a {@code rows × d} partition back and forth until {@code totalBytes} have moved; returns GiB/s. */
    public static double measure(int rows, int d, long totalBytes) {
        List<InetSocketAddress> endpoints =
                Endpoints.free(List.of(InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress()));
        Process home = SiblingJvm.start(
                PartitionTransferProbe.class,
                List.of(Endpoints.format(endpoints), Integer.toString(rows), Integer.toString(d)),
                "the partition-transfer probe's home");
        ExecutorService sender = senderThread();
        try (AeronNode node = new AeronNode(0, endpoints, TIMEOUT_NANOS, new TrainerAbort())) {
            Rpc rpc =
                    new Rpc(node, new Replies(0), DistributedSettings.defaults().chunkFloats());
            PartitionServer homes = new PartitionServer(rpc, sender, new long[][] {{rows, rows}}, d, NO_RESTORE);
            node.start(new TrainerRoles(rpc, homes, null, null, null, null));
            PartitionFetcher fetcher =
                    new PartitionFetcher(rpc, homes, d, new long[][] {{rows, rows}}, TIMEOUT_NANOS, TIMEOUT_NANOS);
            for (int warmUp = 0; warmUp < 20; warmUp++) {
                fetcher.giveBack(fetcher.obtain(TYPE, PART));
            }
            long bytesBefore = moved(fetcher);
            double secondsBefore = fetcher.transferSeconds();
            while (moved(fetcher) - bytesBefore < totalBytes) {
                EmbeddingPartition p = fetcher.obtain(TYPE, PART);
                fetcher.giveBack(p);
            }
            return (moved(fetcher) - bytesBefore) / (fetcher.transferSeconds() - secondsBefore) / (1L << 30);
        } finally {
            sender.shutdownNow();
            home.destroyForcibly();
        }
    }

    private static long moved(PartitionFetcher fetcher) {
        return fetcher.bytesFetched() + fetcher.bytesReturned();
    }

    private static ExecutorService senderThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tessera-probe-sender");
            t.setDaemon(true);
            return t;
        });
    }

    /** The home: {@code endpoints rows d}; serves its partition until the measuring process is gone. */
    public static void main(String[] args) throws InterruptedException {
        List<InetSocketAddress> endpoints = Endpoints.parse(args[0]);
        int rows = Integer.parseInt(args[1]);
        int d = Integer.parseInt(args[2]);
        ExecutorService sender = senderThread();
        try (AeronNode node = new AeronNode(1, endpoints, TIMEOUT_NANOS, new TrainerAbort())) {
            Rpc rpc =
                    new Rpc(node, new Replies(1), DistributedSettings.defaults().chunkFloats());
            PartitionServer homes = new PartitionServer(rpc, sender, new long[][] {{rows, rows}}, d, NO_RESTORE);
            homes.load(null, new int[][] {{0, 0}}, 0.1, 0);
            node.start(new TrainerRoles(rpc, homes, null, null, null, null));
            ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
            while (parent.isAlive()) {
                Thread.sleep(100);
            }
        } finally {
            sender.shutdownNow();
        }
        System.exit(0);
    }
}
