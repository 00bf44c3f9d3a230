package dev.deliverycheck.sim;

import dev.deliverycheck.env.SeededRandom;

/**
 * Seeded fault rates for a free-running simulation. Each message sent is lost with probability
 * {@code requestLoss} (requests) or {@code ackLoss} (responses) while faults are on; after
 * {@link #heal()} nothing is lost, which is the phase in which NoLoss must be reached.
 * The explorer does not use rates: its schedules lose messages explicitly.
 */
public final class FaultPlan {
    private final double requestLoss;
    private final double ackLoss;
    private final SeededRandom random;
    private boolean healed;

    public FaultPlan(double requestLoss, double ackLoss, SeededRandom random) {
        if (!(requestLoss >= 0 && requestLoss <= 1 && ackLoss >= 0 && ackLoss <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("loss rates must be within [0, 1]");
        }
        this.requestLoss = requestLoss;
        this.ackLoss = ackLoss;
        this.random = random;
    }

    /** No random faults at all. */
    public static FaultPlan none() {
        return new FaultPlan(0, 0, new SeededRandom(0));
    }

    boolean shouldLose(Envelope e) {
        if (healed) {
            return false;
        }
        double rate = e.isRequest() ? requestLoss : ackLoss;
        // Draw for every message, even at rate 0, so the random stream does not depend on the rates.
        return random.nextDouble() < rate;
    }

    public void heal() {
        healed = true;
    }

    public boolean healed() {
        return healed;
    }
}
