package dev.tessera.distributed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one epoch's buckets were, as the lock server saw them: how many, whether each was trained exactly once
 * (counting only the trainings the lock server accepted), by whom; the leases that lapsed (buckets whose
 * training was thrown away and done again by another trainer) with their training edges; how many grants
 * were handed back untrained (their partitions could not be had); the trainers taken for dead, the partitions
 * their deaths moved, and the restarted trainers let in.
 */
record EpochRecord(
        int epoch,
        int buckets,
        boolean eachOnce,
        int[] bucketsByRank,
        long[] edgesByRank,
        List<Lapsed> lapsed,
        int abandoned,
        List<Integer> deadTrainers,
        List<Restored> restored,
        List<Integer> joined) {

    /** A bucket whose lease lapsed: its trainer's training of its {@code edges} edges was thrown away. */
    record Lapsed(int lhs, int rhs, int trainer, long edges) {}

    int lapsedLeases() {
        return lapsed.size();
    }

    /** Training edges of the buckets whose leases lapsed. */
    long edgesLost() {
        return lapsed.stream().mapToLong(Lapsed::edges).sum();
    }

    /**
     * A partition index whose home died: it moved from {@code deadHome} to {@code newHome}, restored from the
     * last checkpoint, losing the training of {@code edgesLost} edges (this epoch's, of buckets touching it) —
     * none if a live trainer's copy of it (of every entity type's) was taken instead: {@code recoveredFrom}
     * that trainer (−1: none), after {@code typesRecovered} types.
     */
    record Restored(
            int epoch, int part, int deadHome, int newHome, long edgesLost, int typesRecovered, int recoveredFrom) {
        Restored(int epoch, int part, int deadHome, int newHome, long edgesLost) {
            this(epoch, part, deadHome, newHome, edgesLost, 0, -1);
        }

        /** One more type's partition taken from {@code from}'s copy; with all {@code types}, nothing was lost. */
        Restored recoveredOne(int from, int types) {
            int n = typesRecovered + 1;
            return new Restored(epoch, part, deadHome, newHome, n >= types ? 0 : edgesLost, n, n >= types ? from : -1);
        }
    }

    /** The record as {@code --json} and the job's result print it (epochs counted from 1). */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch + 1);
        m.put("buckets", buckets);
        m.put("each_bucket_once", eachOnce);
        List<Integer> byRank = new ArrayList<>();
        for (int b : bucketsByRank) {
            byRank.add(b);
        }
        m.put("buckets_by_trainer", byRank);
        m.put("lapsed_leases", lapsedLeases());
        m.put("edges_lost", edgesLost());
        List<Map<String, Object>> lapsedBuckets = new ArrayList<>();
        for (Lapsed l : lapsed) {
            lapsedBuckets.add(Map.of("lhs", l.lhs(), "rhs", l.rhs(), "trainer", l.trainer(), "edges", l.edges()));
        }
        m.put("lapsed_buckets", lapsedBuckets);
        m.put("buckets_handed_back", abandoned);
        m.put("trainers_lost", deadTrainers);
        m.put("trainers_joined", joined);
        List<Map<String, Object>> moved = new ArrayList<>();
        for (Restored r : restored) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("partition", r.part());
            p.put("dead_home", r.deadHome());
            p.put("new_home", r.newHome());
            p.put("edges_lost", r.edgesLost());
            p.put("recovered_from", r.recoveredFrom());
            moved.add(p);
        }
        m.put("partitions_restored", moved);
        return m;
    }
}
