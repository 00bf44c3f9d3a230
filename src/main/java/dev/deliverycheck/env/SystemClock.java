package dev.deliverycheck.env;

/** The real clock, for running producer and broker outside the simulation. */
public final class SystemClock implements Clock {
    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public long milliseconds() {
        return System.currentTimeMillis();
    }
}
