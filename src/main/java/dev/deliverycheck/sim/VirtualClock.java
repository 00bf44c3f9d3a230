package dev.deliverycheck.sim;

import dev.deliverycheck.env.Clock;

/**
 * Simulated time: moves only when the simulation (or a test) moves it, never backwards. The one
 * hand-moved clock of the project: the simulation and the producer and broker tests all use it.
 */
public final class VirtualClock implements Clock {
    private long nowMs;

    public VirtualClock(long startMs) {
        this.nowMs = startMs;
    }

    @Override
    public long milliseconds() {
        return nowMs;
    }

    public void advanceTo(long timeMs) {
        if (timeMs > nowMs) {
            nowMs = timeMs;
        }
    }

    public void advanceBy(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("time cannot go backwards: " + ms);
        }
        nowMs += ms;
    }
}
