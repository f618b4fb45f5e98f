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
 * the {@link ParameterServer} after a bucket when {@code syncIntervalNanos} have passed since the last
 * exchange, and always at an epoch's end (the final push, after which rank 0 writes the master into the
 * checkpoint). The exchange carries the Adagrad accumulators with the values: each trainer steps with
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
    private long lastSync;
    private long exchanges;

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
    }

    @Override
    public void sync() {
        if (System.nanoTime() - lastSync >= syncIntervalNanos) {
            exchange(true, 0, 0);
        }
    }

    @Override
    public void write(int version) {
        exchange(true, MessageType.FINAL, version);
        if (ownStore != null) {
            unflatten(server.awaitFinals(version, timeoutNanos * 10));
            flatten(snapshot);
            model.write(ownStore, version);
            featureTables.write(ownStore, version);
        }
    }

    /** Exchanges so far. */
    long exchanges() {
        return exchanges;
    }

    /** Pushes this trainer's change since the last exchange (none for a pull) and takes the master's values. */
    private void exchange(boolean push, int flags, int tag) {
        int total = push ? snapshot.length : 0;
        if (push) {
            flatten(delta);
            for (int i = 0; i < delta.length; i++) {
                delta[i] -= snapshot[i];
            }
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
                    unflatten(values.received);
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
            Object server = node.endpoint(SERVER);
            long deadline = System.nanoTime() + timeoutNanos;
            long park = 1_000;
            while (status < 0) {
                node.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new TransferException("no parameters from the parameter server at " + server + " within "
                            + timeoutNanos / 1_000_000_000 + " s");
                }
                LockSupport.parkNanos(park);
                park = Math.min(2 * park, AeronNode.MAX_PARK_NANOS);
            }
            return status;
        }
    }
}
