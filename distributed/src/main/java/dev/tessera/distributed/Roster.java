package dev.tessera.distributed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock server's view of its trainers: when each was last heard (a request or a heartbeat), which are silent
 * (past a lease timeout; told so at their next request), which are taken for dead (past the dead timeout), which
 * trainer is the home of each partition, and the deaths, moved partitions and joins of the epoch so far. Not
 * thread-safe: the {@link LockServer} owns it and calls it under its lock.
 */
final class Roster {
    private static final Logger LOG = LoggerFactory.getLogger(Roster.class);

    /** When each trainer was last heard (0: not yet). */
    private final long[] lastHeard;
    /** Whether each trainer is silent now. */
    private final boolean[] silent;
    /** False from a trainer's going silent until its next request is answered LAPSED. */
    private final boolean[] toldOfLapse;

    private final boolean[] dead;
    private HomeMap homes;
    private final List<Integer> died = new ArrayList<>();
    private final List<EpochRecord.Restored> restored = new ArrayList<>();
    private final List<Integer> joined = new ArrayList<>();
    private int joins;

    /** An epoch's deaths, the partitions they moved, and the restarted trainers let in. */
    record Faults(List<Integer> died, List<EpochRecord.Restored> restored, List<Integer> joined) {}

    Roster(int trainers, int partitions) {
        this.lastHeard = new long[trainers];
        this.silent = new boolean[trainers];
        this.toldOfLapse = new boolean[trainers];
        this.dead = new boolean[trainers];
        this.homes = HomeMap.initial(partitions, trainers);
        Arrays.fill(toldOfLapse, true);
    }

    void heard(int rank, long now) {
        if (silent[rank]) {
            silent[rank] = false;
            LOG.info("trainer {} is heard again after {} ms", rank, (now - lastHeard[rank]) / 1_000_000);
        }
        lastHeard[rank] = now;
    }

    /** Trainers silent for {@code leaseNanos} that were not yet: now silent, to be told at their next request. */
    List<Integer> newlySilent(long now, long leaseNanos) {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < lastHeard.length; r++) {
            if (lastHeard[r] != 0 && !silent[r] && now - lastHeard[r] > leaseNanos) {
                silent[r] = true;
                toldOfLapse[r] = false;
                out.add(r);
                LOG.warn(
                        "trainer {} has been silent for {} ms: the partitions it holds go back to their homes",
                        r,
                        (now - lastHeard[r]) / 1_000_000);
            }
        }
        return out;
    }

    /** Live trainers other than rank 0 (which asks) silent for {@code deadAfterNanos}: to be taken for dead. */
    List<Integer> silentPast(long now, long deadAfterNanos) {
        List<Integer> out = new ArrayList<>();
        for (int r = 1; r < lastHeard.length; r++) {
            if (lastHeard[r] != 0 && !dead[r] && now - lastHeard[r] > deadAfterNanos) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Takes {@code rank} for dead in {@code epoch} and moves its home partitions to the live trainers, each
     * recorded with the training edges {@code lostFor} says it loses.
     */
    void markDead(int rank, int epoch, long now, IntToLongFunction lostFor) {
        HomeMap before = homes;
        dead[rank] = true;
        homes = homes.withoutHome(rank, r -> !dead[r]);
        died.add(rank);
        List<String> moves = new ArrayList<>();
        for (int p : before.partsOf(rank)) {
            long lost = lostFor.applyAsLong(p);
            restored.add(new EpochRecord.Restored(epoch, p, rank, homes.homeOf(p), lost));
            moves.add(p + " to trainer " + homes.homeOf(p) + " (" + lost + " edges of training lost)");
        }
        LOG.warn(
                "trainer {} is taken for dead (last heard {} ms ago); {}",
                rank,
                (now - lastHeard[rank]) / 1_000_000,
                moves.isEmpty()
                        ? "it was the home of no partition"
                        : "its partitions move, restored from the last checkpoint: " + String.join(", ", moves));
    }

    /** A new instance of {@code rank} joined: alive, heard now, without homes. */
    void revive(int rank, long now) {
        dead[rank] = false;
        silent[rank] = false;
        toldOfLapse[rank] = true;
        lastHeard[rank] = now;
        joined.add(rank);
        joins++;
    }

    /**
     * The latest move of partition {@code part} was made good by trainer {@code from}'s copy of one of its
     * {@code types} entity types. False if no such move is on record this epoch.
     */
    boolean recovered(int part, int from, int types) {
        for (int i = restored.size() - 1; i >= 0; i--) {
            if (restored.get(i).part() == part) {
                restored.set(i, restored.get(i).recoveredOne(from, types));
                return true;
            }
        }
        return false;
    }

    /** The faults since this was last asked (an epoch's, when asked at its end). */
    Faults takeFaults() {
        Faults f = new Faults(List.copyOf(died), List.copyOf(restored), List.copyOf(joined));
        died.clear();
        restored.clear();
        joined.clear();
        return f;
    }

    /** Restarted trainers let in since the job began. */
    int joins() {
        return joins;
    }

    /** True, once, for a trainer that went silent and has not yet been told its lease lapsed. */
    boolean takeLapseNotice(int rank) {
        if (toldOfLapse[rank]) {
            return false;
        }
        toldOfLapse[rank] = true;
        return true;
    }

    boolean isSilent(int rank) {
        return silent[rank];
    }

    boolean isAlive(int rank) {
        return !dead[rank];
    }

    /** Trainers not taken for dead, rank 0 included. */
    int live() {
        int n = 0;
        for (boolean d : dead) {
            n += d ? 0 : 1;
        }
        return n;
    }

    HomeMap homes() {
        return homes;
    }
}
