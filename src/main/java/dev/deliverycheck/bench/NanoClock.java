package dev.deliverycheck.bench;

import dev.deliverycheck.env.Clock;

/**
 * Virtual time in nanoseconds for the bench simulator. Producer and broker read it through
 * {@link Clock#milliseconds()}, rounded down to the millisecond: their timers (linger.ms,
 * timeouts, backoff) therefore fire on millisecond boundaries, while the bench measures latency
 * with nanosecond timestamps. Invariant: never moves backwards.
 */
final class NanoClock implements Clock {
    private long nowNs;

    @Override
    public long milliseconds() {
        return nowNs / 1_000_000L;
    }

    long nanoseconds() {
        return nowNs;
    }

    void advanceTo(long ns) {
        if (ns < nowNs) {
            throw new IllegalStateException("time cannot go backwards: " + ns + " < " + nowNs);
        }
        nowNs = ns;
    }
}
