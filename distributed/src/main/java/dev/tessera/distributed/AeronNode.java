package dev.tessera.distributed;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trainer's end of the wire: an embedded Aeron media driver, a subscription on this trainer's UDP
 * endpoint (and one on IPC, for messages between roles of this process), a publication to every trainer,
 * and a duty-cycle thread that polls the subscriptions and hands every well-formed frame to the
 * {@link Inbound} handler. Frames that fail {@link Message#wrap} are counted and logged, never thrown.
 *
 * <p>Threads: one. The poller's duty cycle also runs the media driver's agents ({@link ThreadingMode#INVOKER})
 * and the Aeron client's conductor, so a received frame goes from the socket to its handler without a hand-off
 * between threads, and an idle trainer wakes one thread, not three: a driver thread, the client's conductor
 * and a poller took 22% of a core while idle, the one duty cycle takes 3–4% ({@link DutyCycleIdleStrategy}
 * says how it parks). Measured side by side (2 trainers × 1 worker, WordNet P=8, three pairs): 36.0k →
 * 44.5k edges/s, partition transfers 0.26 → 0.30 GiB/s. Other threads' sends wait on back-pressure with a
 * back-off to 100 µs parks and wake the duty cycle after each offer; a send from the duty cycle itself (a
 * handler's reply) runs the driver while it waits, as nobody else will.
 */
final class AeronNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AeronNode.class);
    static final int STREAM = 1001;
    /** Term buffers of 16 MiB: messages up to 2 MiB; partition chunks are half of that. */
    private static final int TERM_LENGTH = 16 << 20;

    /** The longest a thread awaiting a reply or back-pressure parks between checks. */
    static final long MAX_PARK_NANOS = 100_000;

    /**
     * A gap this long between two readings of {@link #runningNanos} (the duty cycle reads it at least every
     * millisecond) means the process did not run: it was stopped (SIGSTOP) or frozen (a long GC pause, a swap
     * storm).
     */
    private static final long STOPPED_GAP_NANOS = 100_000_000;

    private static final int SOCKET_BUFFER = 2 << 20;

    /** What the poller hands received frames to (on its thread). */
    interface Inbound {
        void onMessage(Message m);

        /** Called on every duty cycle, for timers (leases, heartbeats). */
        default void onTick(long nowNanos) {}

        /** Whether a reply is awaited: the duty cycle then parks briefly ({@link DutyCycleIdleStrategy}). */
        default boolean awaitingReply() {
            return false;
        }
    }

    private final int rank;
    private final List<InetSocketAddress> endpoints;
    private final MediaDriver driver;
    private final AgentInvoker driverAgents;
    private final Aeron aeron;
    private final AgentInvoker clientConductor;
    private volatile Thread dutyThread;
    private final Subscription udp;
    private final Subscription ipc;
    private final Publication[] peers;
    private final AgentRunner poller;
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong badFrames = new AtomicLong();
    /** Guards {@link #lastRunningNanos} and {@link #stoppedNanos}. */
    private final Object clock = new Object();

    private long lastRunningNanos = System.nanoTime();
    private long stoppedNanos;
    private final long sendTimeoutNanos;
    /** Null until {@link #start}: until then the duty cycle runs the driver but reads no frames. */
    private volatile Inbound inbound;

    private final TrainerAbort abort;

    /**
     * Starts the driver and subscriptions of trainer {@code rank} of {@code endpoints.size()}, listening on its
     * own endpoint; frames are read once {@link #start} names where they go.
     */
    AeronNode(int rank, List<InetSocketAddress> endpoints, long sendTimeoutNanos, TrainerAbort abort) {
        this.abort = abort;
        this.rank = rank;
        this.endpoints = endpoints;
        this.sendTimeoutNanos = sendTimeoutNanos;
        this.driver = MediaDriver.launchEmbedded(driverContext("trainer-" + rank, TERM_LENGTH)
                .threadingMode(ThreadingMode.INVOKER)
                .asyncExecutorEnabled(false));
        this.driverAgents = driver.sharedAgentInvoker();
        try {
            this.aeron = Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(driver.aeronDirectoryName())
                    .driverAgentInvoker(driverAgents)
                    .useConductorAgentInvoker(true));
            this.clientConductor = aeron.conductorAgentInvoker();
            this.udp = aeron.addSubscription(channel(endpoints.get(rank)), STREAM);
            this.ipc = aeron.addSubscription("aeron:ipc", STREAM);
            this.peers = new Publication[endpoints.size()];
            for (int r = 0; r < peers.length; r++) {
                peers[r] = r == rank
                        ? aeron.addPublication("aeron:ipc", STREAM)
                        : aeron.addPublication(channel(endpoints.get(r)), STREAM);
            }
        } catch (RuntimeException e) {
            CloseHelper.quietClose(driver);
            throw e;
        }
        this.poller = new AgentRunner(
                new DutyCycleIdleStrategy(() -> {
                    Inbound in = inbound;
                    return in != null && in.awaitingReply();
                }),
                this::onPollerError,
                null,
                new Poller());
        // Running from now on: the driver and the client check each other's liveness, even before start().
        AgentRunner.startOnThread(poller);
    }

    /** Starts polling: from now on every well-formed frame goes to {@code handler}, on the poller's thread. */
    void start(Inbound handler) {
        this.inbound = handler;
        LOG.info("trainer {} of {} listening on {}", rank, endpoints.size(), endpoints.get(rank));
    }

    /**
     * An embedded driver's settings: all agents on one thread of its own (a trainer's node runs them on its duty
     * cycle instead), backing off to 100 µs parks; term buffers of
     * {@code termLength} (messages up to an eighth of it); 2 MiB socket buffers and receiver window, so a
     * loopback link is not held to the kernel's 208 KiB default (4 MiB is the usual cap,
     * {@code net.core.rmem_max}).
     */
    static MediaDriver.Context driverContext(String name, int termLength) {
        return new MediaDriver.Context()
                .aeronDirectoryName(AeronDirectories.fresh(name))
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(backOff())
                .publicationTermBufferLength(termLength)
                .ipcTermBufferLength(termLength)
                .socketRcvbufLength(SOCKET_BUFFER)
                .socketSndbufLength(SOCKET_BUFFER)
                .initialWindowLength(SOCKET_BUFFER)
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true);
    }

    private static IdleStrategy backOff() {
        return new BackoffIdleStrategy(64, 16, 1_000, MAX_PARK_NANOS);
    }

    /** The UDP channel of an endpoint: on loopback with datagrams as large as loopback carries. */
    static String channel(InetSocketAddress endpoint) {
        InetAddress a = endpoint.getAddress();
        String mtu = a != null && a.isLoopbackAddress() ? "|mtu=65504" : "";
        return "aeron:udp?endpoint=" + endpoint.getHostString() + ":" + endpoint.getPort() + mtu;
    }

    /** Throws if this trainer was aborted or its thread interrupted: every wait calls it as it idles. */
    void checkAlive() {
        abort.check();
    }

    /**
     * Waits until {@code done} holds and returns true, or returns false once {@code expired} holds first,
     * parking between checks with a back-off from 1 µs to {@code maxParkNanos}; throws if this trainer is
     * stopped ({@link #checkAlive}). Every wait of a trainer goes through here.
     */
    boolean awaitUntil(BooleanSupplier done, BooleanSupplier expired, long maxParkNanos) {
        long park = 1_000;
        while (!done.getAsBoolean()) {
            checkAlive();
            if (expired.getAsBoolean()) {
                return false;
            }
            LockSupport.parkNanos(park);
            park = Math.min(2 * park, maxParkNanos);
        }
        return true;
    }

    /**
     * This process's clock less the stretches it did not run (stopped by SIGSTOP, frozen by a long GC pause):
     * whichever thread first reads it after such a stretch takes the stretch off. A trainer's own timeouts run
     * on it, so a trainer that was stopped does not take its own stop for a peer's silence, nor give up on a
     * reply that came while it was stopped.
     */
    long runningNanos() {
        synchronized (clock) {
            long now = System.nanoTime();
            long gap = now - lastRunningNanos;
            if (gap > STOPPED_GAP_NANOS) {
                stoppedNanos += gap;
            }
            lastRunningNanos = now;
            return now - stoppedNanos;
        }
    }

    /** Holds once {@code timeoutNanos} of {@link #runningNanos} have passed from now. */
    BooleanSupplier after(long timeoutNanos) {
        long deadline = runningNanos() + timeoutNanos;
        return () -> runningNanos() - deadline > 0;
    }

    int rank() {
        return rank;
    }

    int trainers() {
        return endpoints.size();
    }

    InetSocketAddress endpoint(int r) {
        return endpoints.get(r);
    }

    /**
     * Sends the frame in {@code w} to trainer {@code peer}, waiting out back-pressure and a peer not yet
     * connected for up to the send timeout; throws {@link TransferException} naming the peer after it.
     */
    void send(int peer, MessageWriter w) {
        Publication p = peers[peer];
        long deadline = runningNanos() + sendTimeoutNanos;
        IdleStrategy idle = backOff();
        while (true) {
            long result = p.offer(w.buffer(), 0, w.length());
            if (result > 0) {
                bytesSent.addAndGet(w.length());
                wakeDutyCycle();
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                throw new TransferException("cannot send " + w.type() + " to trainer " + peer + " at "
                        + endpoints.get(peer) + ": publication " + (result == Publication.CLOSED ? "closed" : "full"));
            }
            checkAlive();
            if (runningNanos() > deadline) {
                throw new TransferException("trainer " + peer + " at " + endpoints.get(peer) + " took no "
                        + w.type() + " for " + sendTimeoutNanos / 1_000_000_000 + " s ("
                        + (result == Publication.NOT_CONNECTED ? "not connected" : "back-pressured") + ")");
            }
            idle.idle(runAgentsIfDutyThread());
        }
    }

    /** Like {@link #send}, but gives up quietly after {@code timeoutNanos} (for goodbyes to peers that may be gone). */
    boolean trySend(int peer, MessageWriter w, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        IdleStrategy idle = backOff();
        while (System.nanoTime() < deadline) {
            long result = peers[peer].offer(w.buffer(), 0, w.length());
            if (result > 0) {
                bytesSent.addAndGet(w.length());
                wakeDutyCycle();
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                return false;
            }
            idle.idle(runAgentsIfDutyThread());
        }
        return false;
    }

    /** After another thread's send: the driver sends it now, not after the duty cycle's park. */
    private void wakeDutyCycle() {
        Thread duty = dutyThread;
        if (duty != null && duty != Thread.currentThread()) {
            LockSupport.unpark(duty);
        }
    }

    /** On the duty cycle's thread, a turn of the driver and the client conductor (only it runs them); else 0. */
    private int runAgentsIfDutyThread() {
        return Thread.currentThread() == dutyThread ? driverAgents.invoke() + clientConductor.invoke() : 0;
    }

    long bytesSent() {
        return bytesSent.get();
    }

    long bytesReceived() {
        return bytesReceived.get();
    }

    long badFrames() {
        return badFrames.get();
    }

    private void onPollerError(Throwable t) {
        LOG.error("trainer {}: error handling a message", rank, t);
    }

    /** The duty cycle: poll both subscriptions, reassembling fragmented frames, then run the timers. */
    private final class Poller implements Agent {
        private final Message message = new Message();
        private final FragmentHandler handler = new FragmentAssembler(this::onFrame);

        private void onFrame(DirectBuffer buffer, int offset, int length, io.aeron.logbuffer.Header header) {
            bytesReceived.addAndGet(length);
            String problem = message.wrap(buffer, offset, length);
            if (problem != null) {
                long n = badFrames.incrementAndGet();
                if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th, 8th, ...: a flood does not flood the log
                    LOG.warn("trainer {}: dropped a bad frame ({} so far): {}", rank, n, problem);
                }
                return;
            }
            inbound.onMessage(message);
        }

        @Override
        public void onStart() {
            dutyThread = Thread.currentThread();
        }

        @Override
        public int doWork() {
            runningNanos(); // keeps the clock's last reading fresh while the process runs
            int work = driverAgents.invoke() + clientConductor.invoke();
            Inbound in = inbound;
            if (in != null) {
                work += udp.poll(handler, 64) + ipc.poll(handler, 64);
                in.onTick(System.nanoTime());
            }
            return work;
        }

        @Override
        public String roleName() {
            return "tessera-trainer-" + rank + "-poller";
        }
    }

    @Override
    public void close() {
        CloseHelper.quietClose(poller);
        CloseHelper.quietCloseAll(peers);
        CloseHelper.quietCloseAll(udp, ipc, aeron);
        CloseHelper.quietClose(driver);
    }
}
