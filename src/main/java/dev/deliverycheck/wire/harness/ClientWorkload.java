package dev.deliverycheck.wire.harness;

import java.util.List;

/**
 * The client side of a real run, for either client: drives producer instances through a schedule's workload steps
 * (reporting what the producer itself does not), then settles (broker back, open transaction committed, producers
 * flushed and closed). Runs on one thread; {@link #abandon()} may be called from another to stop it.
 */
interface ClientWorkload {
    void runAndSettle(List<RealStep> steps);

    /** Closes every producer at once, abandoning what is in flight (a run that overran its deadline). */
    void abandon();

    /** Why the steps stopped early, or null. */
    Throwable failure();

    /** The broker stopped answering during the steps (and the harness did not stop it). */
    final class BrokerGone extends RuntimeException {
        BrokerGone(String message) {
            super(message);
        }
    }
}
