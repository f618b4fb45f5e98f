package dev.tessera.distributed;

import dev.tessera.core.config.TesseraConfig;
import dev.tessera.model.ModelParameters;
import dev.tessera.storage.CheckpointStore;
import dev.tessera.storage.GraphStore;
import dev.tessera.trainer.FeatureTables;
import dev.tessera.trainer.SharedParameters;
import dev.tessera.trainer.TrainingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A distributed trainer's shared parameters: its own copy, trained in place by its workers, exchanged with
 * the {@link ParameterServer} every {@code syncIntervalNanos} by a background thread while the workers
 * train (buckets of a large graph take minutes: exchanging only between them would leave every trainer
 * minutes behind the others), and at an epoch's end (the final push, after which rank 0 writes the master
 * into the checkpoint). As with Hogwild, a worker's update that lands between an exchange's reading of the
 * arrays and its writing of the master's values back is lost. The exchange carries the Adagrad accumulators with the values: each trainer steps with
 * its workers' gradients and the accumulators of all trainers' (as of the last exchange).
 */
final class RemoteSharedParameters implements SharedParameters {
    private static final int SERVER = 0;

    private final Rpc rpc;
    private final ModelParameters model;
    private final FeatureTables featureTables;
    private final TrainingSettings settings;
    private final StartupCheckpoint startup;
    private final CheckpointStore ownStore;
    private final ParameterServer server;
    private final long syncIntervalNanos;
    private final long timeoutNanos;
    private final List<float[]> arrays = new ArrayList<>();
    private final float[] snapshot;
    private final float[] delta;
    /** The values as this trainer's last exchange read them. */
    private final float[] pushed;

    private final Object exchanging = new Object();
    private volatile long lastSync;
    private volatile long exchanges;
    private volatile boolean syncing;
    private volatile RuntimeException syncFailure;
    private Thread syncThread;

    /**
     * @param server   rank 0's parameter server (null on other ranks)
     * @param ownStore rank 0's checkpoint store, which it writes the parameters into (null on other ranks)
     */
    RemoteSharedParameters(
            Rpc rpc,
            TesseraConfig config,
            TrainingSettings settings,
            GraphStore graph,
            StartupCheckpoint startup,
            CheckpointStore ownStore,
            ParameterServer server,
            long syncIntervalNanos,
            long timeoutNanos) {
        this.rpc = rpc;
        this.model = new ModelParameters(config, settings.dimension());
        this.featureTables = FeatureTables.of(config, graph, settings.dimension());
        this.settings = settings;
        this.startup = startup;
        this.ownStore = ownStore;
        this.server = server;
        this.syncIntervalNanos = syncIntervalNanos;
        this.timeoutNanos = timeoutNanos;
        // Values and their Adagrad accumulators both: merging the accumulators keeps every trainer's step
        // size what one trainer's would be (with separate ones, N trainers stepped √N times too far).
        model.forEachSlot((slot, values, state) -> {
            arrays.add(values);
            arrays.add(state);
        });
        int n = arrays.stream().mapToInt(a -> a.length).sum();
        this.snapshot = new float[n];
        this.delta = new float[n];
        this.pushed = new float[n];
    }

    @Override
    public ModelParameters model() {
        return model;
    }

    @Override
    public FeatureTables featureTables() {
        return featureTables;
    }

    @Override
    public void start(int version) {
        if (version > 0) {
            model.read(startup.store(), version, true);
        } else {
            featureTables.initialize(settings.initScale(), settings.seed());
        }
        if (server != null) {
            flatten(snapshot);
            server.initialise(snapshot);
        } else {
            exchange(false, 0, 0); // a pull: every trainer starts from rank 0's values
        }
        flatten(snapshot);
        lastSync = System.nanoTime();
        syncing = true;
        syncThread = new Thread(
                this::syncEveryInterval, "tessera-trainer-" + rpc.node().rank() + "-parameters");
        syncThread.setDaemon(true);
        syncThread.start();
    }

    /** The background exchanges, until {@link #stopSync}; a failure is handed to the trainer's next {@link #sync}. */
    private void syncEveryInterval() {
        try {
            while (syncing) {
                LockSupport.parkNanos(syncIntervalNanos);
                synchronized (exchanging) {
                    if (syncing && System.nanoTime() - lastSync >= syncIntervalNanos) {
                        exchange(true, 0, 0);
                    }
                }
            }
        } catch (RuntimeException e) {
            syncFailure = e;
        }
    }

    /** Stops the background exchanges (the run is over, or failed). */
    void stopSync() {
        syncing = false;
        Thread t = syncThread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(timeoutNanos / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void sync() {
        // The background thread exchanges; between buckets the trainer only learns whether it failed.
        RuntimeException failed = syncFailure;
        if (failed != null) {
            throw new TransferException("exchanging the shared parameters failed: " + failed.getMessage());
        }
    }

    @Override
    public void write(int version) {
        sync();
        synchronized (exchanging) {
            exchange(true, MessageType.FINAL, version);
            if (ownStore != null) {
                unflatten(server.awaitFinals(version, timeoutNanos * 10));
                flatten(snapshot);
                model.write(ownStore, version);
                featureTables.write(ownStore, version);
            }
        }
    }

    /** Exchanges so far. */
    long exchanges() {
        return exchanges;
    }

    /**
     * Pushes this trainer's change since the last exchange (none for a pull) and takes the master's values,
     * keeping what the workers changed while the exchange was on the wire: that change is the next push's.
     */
    private void exchange(boolean push, int flags, int tag) {
        int total = push ? snapshot.length : 0;
        flatten(pushed);
        for (int i = 0; i < delta.length; i++) {
            delta[i] = pushed[i] - snapshot[i];
        }
        long firstTry = System.nanoTime();
        for (long park = 100_000; ; park = Math.min(2 * park, 20_000_000)) {
            Values values = new Values(snapshot.length);
            long id = rpc.replies().register(values);
            try {
                MessageWriter w = rpc.writer();
                int max = w.maxPayloadFloats();
                for (int first = 0; first < total || first == 0; first += max) {
                    int n = Math.min(max, total - first);
                    w.start(MessageType.PARAMETER_CHUNK, rpc.node().rank(), id)
                            .putInt(ParameterServer.EPOCH, tag)
                            .putInt(ParameterServer.FLAGS, flags)
                            .putInt(ParameterServer.FIRST, first)
                            .putInt(ParameterServer.TOTAL, total)
                            .appendFloats(delta, first, n)
                            .checksumPayloadInto(ParameterServer.CRC);
                    rpc.node().send(SERVER, w);
                    if (total == 0) {
                        break;
                    }
                }
                int status = values.await(timeoutNanos, rpc.node());
                if (status == MessageType.OK) {
                    takeMaster(values.received);
                    System.arraycopy(values.received, 0, snapshot, 0, snapshot.length);
                    lastSync = System.nanoTime();
                    exchanges++;
                    return;
                }
                if (status != MessageType.BUSY || push) {
                    throw new TransferException("the parameter server refused trainer "
                            + rpc.node().rank() + "'s update (status " + status + ")");
                }
            } finally {
                rpc.replies().cancel(id);
            }
            rpc.node().checkAlive();
            if (System.nanoTime() - firstTry > timeoutNanos) {
                throw new TransferException("rank 0 never loaded the shared parameters");
            }
            LockSupport.parkNanos(park); // rank 0 has not loaded the parameters yet
        }
    }

    private void flatten(float[] out) {
        int at = 0;
        for (float[] a : arrays) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
    }

    /** Each value becomes the master's plus what the workers changed since {@link #pushed} was read. */
    private void takeMaster(float[] master) {
        int at = 0;
        for (float[] a : arrays) {
            for (int j = 0; j < a.length; j++) {
                a[j] = master[at + j] + (a[j] - pushed[at + j]);
            }
            at += a.length;
        }
    }

    private void unflatten(float[] in) {
        int at = 0;
        for (float[] a : arrays) {
            System.arraycopy(in, at, a, 0, a.length);
            at += a.length;
        }
    }

    /** The master values sent back for one push. */
    private static final class Values implements Replies.Sink {
        final float[] received;
        private int filled;
        private volatile int status = -1;

        Values(int n) {
            this.received = new float[n];
        }

        @Override
        public boolean accept(Message m) {
            if (m.type() == MessageType.ACK) {
                status = m.intAt(0);
                return true;
            }
            if (m.type() != MessageType.PARAMETER_CHUNK) {
                return false;
            }
            int first = m.intAt(ParameterServer.FIRST);
            int n = m.payloadFloats();
            if (m.intAt(ParameterServer.TOTAL) != received.length
                    || first != filled
                    || m.payloadChecksum() != m.intAt(ParameterServer.CRC)) {
                status = MessageType.FAILED;
                return true;
            }
            m.payloadFloatsInto(0, n, received, first);
            filled += n;
            if (filled == received.length) {
                status = MessageType.OK;
                return true;
            }
            return false;
        }

        int await(long timeoutNanos, AeronNode node) {
            if (!node.awaitUntil(() -> status >= 0, node.after(timeoutNanos), AeronNode.MAX_PARK_NANOS)) {
                throw new TransferException("no parameters from the parameter server at " + node.endpoint(SERVER)
                        + " within " + timeoutNanos / 1_000_000_000 + " s");
            }
            return status;
        }
    }
}
