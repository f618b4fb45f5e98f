package dev.tessera.distributed;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Raw Aeron throughput between two processes on this machine, the yardstick for partition transfers: one
 * process offers {@code messageBytes} messages over UDP on loopback (the channel settings trainers use) as
 * fast as back-pressure lets it, the other counts the bytes that arrive and answers when it has them all.
 * No framing, no checksums, no copies at the receiver: what Aeron itself carries.
 */
public final class AeronThroughput {
    private static final int STREAM = 2002;
    private static final int TERM_LENGTH = 64 << 20;

    private AeronThroughput() {}

    /** Sends {@code totalBytes} in messages of {@code messageBytes} to a child process; returns GiB/s. */
    public static double measure(long totalBytes, int messageBytes) {
        List<InetSocketAddress> endpoints =
                Endpoints.free(List.of(InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress()));
        Process receiver = startReceiver(endpoints, totalBytes);
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext());
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
                Subscription acks = aeron.addSubscription(AeronNode.channel(endpoints.get(0)), STREAM);
                Publication out = aeron.addPublication(AeronNode.channel(endpoints.get(1)), STREAM)) {
            UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(messageBytes));
            IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 100_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.offer(message, 0, 1) < 0) { // a first byte: the receiver is connected
                requireBefore(deadline, "the receiver never connected");
                idle.idle();
            }
            // The clock starts once a quarter has gone (at most 256 MiB): both processes' code is compiled by then.
            long warmUp = Math.min(totalBytes / 4, 256L << 20);
            long start = 0;
            for (long sent = 1; sent < totalBytes; ) {
                int n = (int) Math.min(messageBytes, totalBytes - sent);
                if (out.offer(message, 0, n) > 0) {
                    sent += n;
                    if (start == 0 && sent >= warmUp) {
                        start = System.nanoTime();
                        warmUp = sent;
                    }
                    idle.reset();
                } else {
                    requireBefore(deadline, "back-pressure never eased");
                    idle.idle();
                }
            }
            AtomicLong acked = new AtomicLong();
            while (acked.get() == 0) {
                acks.poll((b, o, l, h) -> acked.set(1), 1);
                requireBefore(deadline, "the receiver never confirmed");
                idle.idle();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return (totalBytes - warmUp) / seconds / (1L << 30);
        } finally {
            receiver.destroyForcibly();
        }
    }

    private static void requireBefore(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new TransferException("Aeron throughput probe: " + what + " within 60 s");
        }
    }

    private static MediaDriver.Context driverContext() {
        return AeronNode.driverContext("probe", TERM_LENGTH);
    }

    private static Process startReceiver(List<InetSocketAddress> endpoints, long totalBytes) {
        return SiblingJvm.start(
                AeronThroughput.class,
                List.of(Endpoints.format(endpoints), Long.toString(totalBytes)),
                "the throughput receiver");
    }

    /** The receiver: {@code ackEndpoint,ownEndpoint totalBytes}. */
    public static void main(String[] args) {
        List<InetSocketAddress> endpoints = Endpoints.parse(args[0]);
        long total = Long.parseLong(args[1]);
        MediaDriver driver = MediaDriver.launchEmbedded(driverContext());
        Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        try (Subscription in = aeron.addSubscription(AeronNode.channel(endpoints.get(1)), STREAM);
                Publication ack = aeron.addPublication(AeronNode.channel(endpoints.get(0)), STREAM)) {
            AtomicLong received = new AtomicLong();
            IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 100_000);
            while (received.get() < total) {
                idle.idle(in.poll((b, o, l, h) -> received.addAndGet(l), 64));
            }
            UnsafeBuffer done = new UnsafeBuffer(new byte[8]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ack.offer(done, 0, 8) < 0 && System.nanoTime() < deadline) {
                idle.idle();
            }
            Thread.sleep(200); // the driver sends the confirmation before it closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            CloseHelper.quietCloseAll(aeron, driver);
        }
        System.exit(0);
    }
}
