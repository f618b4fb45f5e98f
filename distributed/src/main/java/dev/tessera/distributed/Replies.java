package dev.tessera.distributed;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests of this trainer awaiting replies, by correlation id. Ids carry the rank in their top 16 bits, so
 * one id names one request across all trainers (a chunk whose id is this trainer's is a reply to it; any
 * other is someone's request).
 */
final class Replies {
    /** Receives the replies to one request on the poller's thread. */
    interface Sink {
        /** Takes one reply; true when it was the last this request expects. */
        boolean accept(Message m);
    }

    private final int rank;
    private final AtomicLong next = new AtomicLong();
    private final ConcurrentHashMap<Long, Sink> pending = new ConcurrentHashMap<>();

    Replies(int rank) {
        this.rank = rank;
    }

    /** A fresh id, not awaiting anything (for messages whose replies nobody waits for). */
    long newId() {
        return ((long) rank << 48) | (next.incrementAndGet() & 0xFFFF_FFFF_FFFFL);
    }

    /** Whether any request still awaits its reply. */
    boolean awaiting() {
        return !pending.isEmpty();
    }

    /** A fresh id whose replies go to {@code sink} until it says it is done or is {@link #cancel cancelled}. */
    long register(Sink sink) {
        long id = newId();
        pending.put(id, sink);
        return id;
    }

    void cancel(long id) {
        pending.remove(id);
    }

    /** Whether {@code correlation} is one of this trainer's requests. */
    boolean isMine(long correlation) {
        return (correlation >>> 48) == rank;
    }

    /** Hands a reply to its request's sink; a reply nobody awaits any more (timed out, cancelled) is dropped. */
    void dispatch(Message m) {
        Sink sink = pending.get(m.correlation());
        if (sink != null && sink.accept(m)) {
            pending.remove(m.correlation());
        }
    }
}
