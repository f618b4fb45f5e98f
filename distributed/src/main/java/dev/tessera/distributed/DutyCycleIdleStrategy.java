package dev.tessera.distributed;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.IdleStrategy;

/**
 * How a trainer's duty cycle (driver, client conductor, subscriptions) idles: a few spins and yields, then
 * parks from 1 µs doubling up to a cap of 100 µs while the trainer awaits a reply (a partition, a grant, a
 * parameter exchange: it is read as soon as it lands) and 1 ms otherwise. Each wake-up runs the driver's
 * socket polls, about 20 µs of a core on this machine: at 100 µs an idle trainer took 14% of a core, and
 * more in context switches away from the workers. A send from another thread unparks the duty cycle
 * ({@link AeronNode#send}), so only a frame arriving from the network can wait out a long park.
 */
final class DutyCycleIdleStrategy implements IdleStrategy {
    static final long SHORT_PARK_NANOS = 100_000;
    static final long LONG_PARK_NANOS = 1_000_000;
    private static final int SPINS = 64;
    private static final int YIELDS = 16;
    private static final long MIN_PARK_NANOS = 1_000;

    private final BooleanSupplier awaitingReply;
    private int spins;
    private int yields;
    private long park;

    DutyCycleIdleStrategy(BooleanSupplier awaitingReply) {
        this.awaitingReply = awaitingReply;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spins < SPINS) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < YIELDS) {
            yields++;
            Thread.yield();
        } else {
            long cap = awaitingReply.getAsBoolean() ? SHORT_PARK_NANOS : LONG_PARK_NANOS;
            park = Math.min(park == 0 ? MIN_PARK_NANOS : 2 * park, cap);
            LockSupport.parkNanos(park);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        park = 0;
    }
}
