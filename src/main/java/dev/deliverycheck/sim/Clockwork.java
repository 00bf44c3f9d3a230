package dev.deliverycheck.sim;

import dev.deliverycheck.env.Node;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Moves one simulation forward in virtual time: delivers messages as they arrive and lets the
 * {@link Scheduler} run every node that is due at each instant.
 *
 * <p>Invariant: the clock never goes back, and nothing happens out of time order: before time
 * moves to an instant, every timer due earlier has fired (a request timeout can beat a stalled
 * answer); when a message and a timer fall on the same instant, the message is delivered first
 * and the due nodes run after it.
 */
final class Clockwork {
    private final VirtualClock clock;
    private final SimulatedNetwork network;
    private final Scheduler scheduler;
    /** The node with an id, or null when it is down or unknown (its messages are dropped). */
    private final IntFunction<Node> nodes;

    Clockwork(VirtualClock clock, SimulatedNetwork network, Scheduler scheduler, IntFunction<Node> nodes) {
        this.clock = clock;
        this.network = network;
        this.scheduler = scheduler;
        this.nodes = nodes;
    }

    /**
     * Delivers the head message of the {@code index}-th non-empty connection (mod their count), the
     * heads ordered by arrival time; false if nothing is in flight. If a timer that fires first
     * resets the connection, the message is lost with it and nothing is delivered.
     */
    boolean deliver(int index) {
        List<Envelope> heads = network.deliverableHeads();
        if (heads.isEmpty()) {
            return false;
        }
        Envelope chosen = heads.get(Math.floorMod(index, heads.size()));
        long next = scheduler.nextWakeup();
        while (next < chosen.deliverAtMs()) {
            clock.advanceTo(next);
            next = scheduler.runDue();
        }
        if (!network.isHead(chosen)) {
            return true;
        }
        deliverEnvelope(chosen);
        scheduler.runDue();
        return true;
    }

    private void deliverEnvelope(Envelope head) {
        clock.advanceTo(head.deliverAtMs());
        network.take(head);
        Node destination = nodes.apply(head.destination());
        if (destination != null) {
            destination.receive(head.source(), head.message());
        }
    }

    /** Lets {@code ms} of virtual time pass without delivering messages; due timers fire. */
    void advance(long ms) {
        long target = clock.milliseconds() + ms;
        long next = scheduler.nextWakeup();
        while (next <= target) {
            clock.advanceTo(next);
            next = scheduler.runDue();
        }
        clock.advanceTo(target);
        scheduler.runDue();
    }

    /** Runs in time order for {@code ms}: messages are delivered as they arrive. */
    void runFor(long ms) {
        long target = clock.milliseconds() + ms;
        long nextTimer = scheduler.nextWakeup();
        while (true) {
            long nextMessage = network.nextDeliveryMs();
            long next = Math.min(nextMessage, nextTimer);
            if (next > target) {
                break;
            }
            clock.advanceTo(next);
            if (nextMessage <= nextTimer) {
                deliverEnvelope(network.earliestHead());
            }
            nextTimer = scheduler.runDue();
        }
        clock.advanceTo(target);
        scheduler.runDue();
    }

    /**
     * Runs in time order until {@code done} holds, nothing is left to happen, or {@code maxMs}
     * passed; returns {@code done} as of then. After each instant, {@code afterStep} may act for
     * the application and returns true if it did (the nodes' wakeups are then asked again).
     */
    boolean runUntil(BooleanSupplier done, long maxMs, BooleanSupplier afterStep) {
        long deadline = clock.milliseconds() + maxMs;
        long nextTimer = scheduler.nextWakeup();
        while (!done.getAsBoolean()) {
            long nextMessage = network.nextDeliveryMs();
            long next = Math.min(nextMessage, nextTimer);
            if (next == Long.MAX_VALUE || next > deadline) {
                return done.getAsBoolean();
            }
            clock.advanceTo(next);
            if (nextMessage <= nextTimer) {
                deliverEnvelope(network.earliestHead());
            }
            nextTimer = scheduler.runDue();
            if (afterStep.getAsBoolean()) {
                nextTimer = scheduler.nextWakeup();
            }
        }
        return true;
    }

    /** Runs (deliveries and timers) until {@code future} completes or {@code maxMs} passed. */
    boolean runUntilDone(CompletableFuture<?> future, long maxMs) {
        long deadline = clock.milliseconds() + maxMs;
        while (!future.isDone()) {
            long next = Math.min(network.nextDeliveryMs(), scheduler.nextWakeup());
            if (next == Long.MAX_VALUE || next > deadline) {
                return future.isDone();
            }
            runFor(Math.max(0, next - clock.milliseconds()));
        }
        return true;
    }
}
