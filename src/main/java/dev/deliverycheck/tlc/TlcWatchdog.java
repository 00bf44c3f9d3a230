package dev.deliverycheck.tlc;

import java.time.Duration;

/**
 * When a TLC child is given up: when it has printed nothing for {@code silence}, or has run for {@code limit}.
 *
 * <p>Why two bounds: TLC prints a progress line every minute while it searches, so a run that stays silent for
 * many minutes is hung, whatever the machine's load; a run that keeps printing is working, only slowly when the
 * machine is starved, and deserves time up to the hard limit. A single wall-clock bound had to choose between
 * killing slow-but-working runs (the flake hunt's two concurrent suites at load 20 took MCAtLeastOnceTimeout past
 * 15 minutes) and waiting long for a hung one.
 *
 * <p>Invariant: every run ends by {@code limit} at the latest (the bound on every wait), and {@code silence} is
 * never longer than {@code limit}.
 */
record TlcWatchdog(Duration silence, Duration limit) {
    /** TLC reports progress every minute: a quarter of an hour of silence is a hung run. */
    static final TlcWatchdog DEFAULT = new TlcWatchdog(Duration.ofMinutes(15), Duration.ofMinutes(60));

    TlcWatchdog {
        if (silence.isNegative() || silence.isZero() || limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("TLC time bounds must be positive, were " + silence + " and " + limit);
        }
        if (silence.compareTo(limit) > 0) {
            silence = limit;
        }
    }

    /** The same silence bound (at most {@code newLimit}) with {@code newLimit} as the hard limit. */
    TlcWatchdog withLimit(Duration newLimit) {
        return new TlcWatchdog(silence, newLimit);
    }

    /**
     * Why the run must be stopped at {@code nowNanos}, or null while it may go on; all three instants from
     * {@link System#nanoTime()}.
     */
    String verdict(long startNanos, long lastLineNanos, long nowNanos) {
        if (nowNanos - startNanos >= limit.toNanos()) {
            return "TLC did not finish within " + limit.toSeconds() + " s";
        }
        if (nowNanos - lastLineNanos >= silence.toNanos()) {
            return "TLC printed nothing for " + silence.toSeconds() + " s (hung)";
        }
        return null;
    }
}
