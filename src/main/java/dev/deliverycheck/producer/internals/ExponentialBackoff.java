package dev.deliverycheck.producer.internals;

import dev.deliverycheck.env.RandomSource;

/**
 * Kafka's {@code ExponentialBackoff} (KIP-580) as the producer configures it: the n-th retry
 * waits {@code retry.backoff.ms · 2^n}, capped at {@code retry.backoff.max.ms}, times a jitter
 * factor drawn uniformly from [0.8, 1.2) — drawn from the injected {@link RandomSource} so a
 * seed reproduces every wait. When the maximum is not above the initial value the backoff is the
 * constant {@code retry.backoff.ms}, as in Kafka.
 */
public final class ExponentialBackoff {
    static final double MULTIPLIER = 2.0;
    static final double JITTER = 0.2;

    private final long initialMs;
    private final long maxMs;
    private final double expMax;
    private final RandomSource random;

    public ExponentialBackoff(long initialMs, long maxMs, RandomSource random) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.expMax = maxMs > initialMs ? Math.log(maxMs / (double) Math.max(initialMs, 1)) / Math.log(MULTIPLIER) : 0;
        this.random = random;
    }

    /** The wait before retry number {@code attempts + 1} (attempts counts retries already made, from 0). */
    public long backoff(long attempts) {
        if (expMax == 0) {
            return initialMs;
        }
        double exp = Math.min(attempts, expMax);
        double term = initialMs * Math.pow(MULTIPLIER, exp);
        double factor = 1 - JITTER + random.nextDouble() * 2 * JITTER;
        long value = (long) (factor * term);
        return Math.min(value, maxMs);
    }
}
