package dev.deliverycheck.producer.testkit;

import dev.deliverycheck.env.Clock;

/** A clock the test moves by hand. */
public final class ManualClock implements Clock {
    private long now;

    public ManualClock(long start) {
        this.now = start;
    }

    @Override
    public long milliseconds() {
        return now;
    }

    public void advance(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("time does not go back");
        }
        now += ms;
    }

    public void set(long ms) {
        if (ms < now) {
            throw new IllegalArgumentException("time does not go back: " + ms + " < " + now);
        }
        now = ms;
    }
}
