package dev.deliverycheck.sim;

import dev.deliverycheck.env.RandomSource;

/**
 * How long a message spends on the wire and how long a broker's fsync waits, drawn from seeded
 * distributions. The explorer's model has long tails and occasional stalls, so that an answer
 * can overtake a request sent earlier on another connection, a request can outlive
 * {@code request.timeout.ms} (30 s) on the wire, and an answer can arrive before a broker's
 * fsync (the only way an acknowledgement sent before its data is durable can be exposed by a
 * crash). Invariant: the same random stream gives the same latencies; a healed run
 * ({@code faultsOn == false}) draws only from the body, never from the tail or a stall.
 *
 * @param medianMs      typical one-way latency; the body is uniform in [1, 2 * medianMs]
 * @param tailPerMille  messages per 1,000 drawn from the tail, uniform in (2 * medianMs, 60 * medianMs]
 * @param stallPerMille messages per 1,000 that stall, uniform in [1 s, 45 s]
 */
public record LatencyModel(long medianMs, int tailPerMille, int stallPerMille) {
    /** The longest a message stalls: beyond request.timeout.ms (30 s), below delivery.timeout.ms. */
    public static final long MAX_STALL_MS = 45_000;

    public LatencyModel {
        if (medianMs < 0 || tailPerMille < 0 || stallPerMille < 0 || tailPerMille + stallPerMille > 1000) {
            throw new IllegalArgumentException("invalid latency model " + medianMs + " ms, tail " + tailPerMille
                    + "/1000, stall " + stallPerMille + "/1000");
        }
    }

    /** Every message takes exactly {@code ms}: no reordering by latency (the old model, for load runs). */
    public static LatencyModel constant(long ms) {
        return new LatencyModel(ms, 0, 0);
    }

    /** The explorer's model: median 5 ms, 12 % in a tail up to 300 ms, 1.5 % stalled for 1-45 s. */
    public static LatencyModel longTailed() {
        return new LatencyModel(5, 120, 15);
    }

    public boolean isConstant() {
        return tailPerMille == 0 && stallPerMille == 0;
    }

    /** One message's latency. A constant model draws nothing, so old runs keep their random streams. */
    public long drawMessageMs(RandomSource random, boolean faultsOn) {
        if (isConstant()) {
            return medianMs;
        }
        int r = random.nextInt(1000);
        if (faultsOn && r < stallPerMille) {
            return 1_000 + random.nextInt((int) (MAX_STALL_MS - 1_000 + 1));
        }
        if (faultsOn && r < stallPerMille + tailPerMille) {
            return 2 * medianMs + 1 + random.nextInt((int) (58 * medianMs));
        }
        return 1 + random.nextInt((int) Math.max(1, 2 * medianMs));
    }

    /**
     * One broker incarnation's fsync latency: mostly 1-9 ms (FileStorage measured 4.3 ms), one in
     * eight 10-99 ms, one in fifty 100-499 ms. Drawn per broker start, because the broker schedules
     * its group commit from its configuration; a constant model keeps {@code configuredMs}.
     */
    public int drawFsyncMs(RandomSource random, int configuredMs) {
        if (isConstant()) {
            return configuredMs;
        }
        int r = random.nextInt(1000);
        if (r < 20) {
            return 100 + random.nextInt(400);
        }
        if (r < 145) {
            return 10 + random.nextInt(90);
        }
        return 1 + random.nextInt(9);
    }
}
