package dev.tessera.distributed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Which trainer is the home of each partition index (of every entity type alike), with a version that grows
 * with every change. It starts as {@code part mod trainers}; when the lock server takes a trainer for dead,
 * {@link #withoutHome} moves that trainer's partitions to the live trainers in turn, fewest-homes first, so
 * the survivors share the load. Immutable: rank 0 makes new maps, every trainer keeps the newest it was sent.
 */
final class HomeMap {
    private final int version;
    private final int[] homes;
    private final int trainers;

    private HomeMap(int version, int[] homes, int trainers) {
        this.version = version;
        this.homes = homes;
        this.trainers = trainers;
    }

    /** Version 0: partition {@code p}'s home is trainer {@code p mod trainers}. */
    static HomeMap initial(int partitions, int trainers) {
        int[] homes = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            homes[p] = p % trainers;
        }
        return new HomeMap(0, homes, trainers);
    }

    /**
     * A {@link MessageType#HOME_MAP} frame's map; null unless it has {@code partitions} homes, each one of the
     * job's {@code trainers}.
     */
    static HomeMap decode(Message m, int trainers, int partitions) {
        int n = m.intAt(4);
        if (n != partitions || m.payloadFloats() != n) {
            return null;
        }
        int[] homes = new int[n];
        for (int p = 0; p < n; p++) {
            homes[p] = m.payloadInt(p);
        }
        return of(m.intAt(0), homes, trainers);
    }

    /** A map as sent over the wire; null when {@code homes} names a trainer outside 0..trainers−1. */
    static HomeMap of(int version, int[] homes, int trainers) {
        for (int h : homes) {
            if (h < 0 || h >= trainers) {
                return null;
            }
        }
        return new HomeMap(version, homes.clone(), trainers);
    }

    int version() {
        return version;
    }

    int partitions() {
        return homes.length;
    }

    int homeOf(int part) {
        return homes[part];
    }

    /** The partitions whose home is {@code rank}. */
    List<Integer> partsOf(int rank) {
        List<Integer> parts = new ArrayList<>();
        for (int p = 0; p < homes.length; p++) {
            if (homes[p] == rank) {
                parts.add(p);
            }
        }
        return parts;
    }

    /**
     * The next version, with {@code dead}'s partitions given to the trainers {@code alive} holds for: each to
     * the live trainer with the fewest homes at that moment (the lowest rank among equals).
     */
    HomeMap withoutHome(int dead, IntPredicate alive) {
        int[] next = homes.clone();
        int[] count = new int[trainers];
        for (int h : homes) {
            count[h]++;
        }
        for (int p = 0; p < next.length; p++) {
            if (next[p] != dead) {
                continue;
            }
            int best = -1;
            for (int r = 0; r < count.length; r++) {
                if (r != dead && alive.test(r) && (best < 0 || count[r] < count[best])) {
                    best = r;
                }
            }
            if (best < 0) {
                throw new IllegalStateException("no live trainer left to take trainer " + dead + "'s partitions");
            }
            next[p] = best;
            count[best]++;
            count[dead]--;
        }
        return new HomeMap(version + 1, next, trainers);
    }

    /** The homes by partition (a copy), for the wire. */
    int[] toArray() {
        return homes.clone();
    }

    @Override
    public String toString() {
        return "homes v" + version + " " + Arrays.toString(homes);
    }
}
