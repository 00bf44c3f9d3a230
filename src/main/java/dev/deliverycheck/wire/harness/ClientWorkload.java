package dev.deliverycheck.wire.harness;

import dev.deliverycheck.wire.proxy.FaultPlan;
import java.time.Duration;
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

    /** The longest an {@code await-request} step holds the workload. */
    Duration AWAIT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** Holds the calling workload until the step's request reached the proxy, at most {@link #AWAIT_REQUEST_TIMEOUT}. */
    static void awaitRequest(FaultPlan plan, RealStep.AwaitRequest step) {
        try {
            plan.awaitSeen(step.kind(), step.occurrence(), AWAIT_REQUEST_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The broker stopped answering during the steps (and the harness did not stop it). */
    final class BrokerGone extends RuntimeException {
        BrokerGone(String message) {
            super(message);
        }
    }
}
