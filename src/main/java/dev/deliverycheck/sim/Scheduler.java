package dev.deliverycheck.sim;

import dev.deliverycheck.env.Node;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Runs the live nodes of one simulation at the current virtual time: polls every node that is
 * due until none is, and answers when the next one will be.
 *
 * <p>Invariant: the nodes are polled in the order of the live list, round after round, exactly
 * as asking every node every round would poll them; the cached wakeup times only save asking a
 * node that cannot have changed. The live list is rebuilt (from the supplier) only after
 * {@link #invalidate()}, i.e. after a crash, a restart or a new producer instance.
 */
final class Scheduler {
    /** Bound on poll rounds at one instant: a node that always claims to be due is a bug, not a hang. */
    static final int MAX_ROUNDS_PER_INSTANT = 10_000;

    private final VirtualClock clock;
    private final Supplier<Node[]> liveNodeBuilder;
    private final long seed;
    /** Brokers that are up (in id order), the producer, then the zombies; null when it must be rebuilt. */
    private Node[] live;
    /** Disconnects told to nodes so far: the one way a poll of one node reaches another (runDue). */
    private long disconnects;

    /**
     * @param liveNodeBuilder builds the live nodes in poll order (brokers that are up, the
     *     producer, the zombies)
     * @param seed the run's seed, named when a node stays due forever
     */
    Scheduler(VirtualClock clock, Supplier<Node[]> liveNodeBuilder, long seed) {
        this.clock = clock;
        this.liveNodeBuilder = liveNodeBuilder;
        this.seed = seed;
    }

    /** The set of live nodes changed (crash, restart, new producer): rebuild it on next use. */
    void invalidate() {
        live = null;
    }

    /** A node was told that a peer disconnected: wakeup times asked before may be stale. */
    void disconnectNotified() {
        disconnects++;
    }

    /**
     * Polls every live node that is due now, until none is, and returns {@link #nextWakeup()} as
     * of then: the round that polled nobody changed nothing (nextWakeupMs only reads), so its
     * wakeup times are current and the caller need not ask every node again.
     *
     * <p>Within one instant a node's wakeup time changes only when the node itself is polled or
     * told of a disconnect (nodes reach each other only through the network, and nothing is
     * delivered here). So a node that was not due, not polled since and not disturbed by a
     * disconnect since keeps the wakeup time it was asked for; only the others are asked again.
     */
    long runDue() {
        long now = clock.milliseconds();
        Node[] nodes = liveNodes();
        long[] wakeups = new long[nodes.length];
        boolean[] known = new boolean[nodes.length];
        for (int round = 0; round < MAX_ROUNDS_PER_INSTANT; round++) {
            boolean any = false;
            for (int i = 0; i < nodes.length; i++) {
                long wakeup = known[i] ? wakeups[i] : nodes[i].nextWakeupMs();
                if (wakeup <= now) {
                    long disconnectsBefore = disconnects;
                    nodes[i].poll();
                    any = true;
                    known[i] = false;
                    if (disconnects != disconnectsBefore) {
                        Arrays.fill(known, false);
                    }
                } else {
                    wakeups[i] = wakeup;
                    known[i] = true;
                }
            }
            if (!any) {
                long next = Long.MAX_VALUE;
                for (long wakeup : wakeups) {
                    next = Math.min(next, wakeup);
                }
                return next;
            }
        }
        StringBuilder stuck = new StringBuilder();
        for (Node n : liveNodes()) {
            if (n.nextWakeupMs() <= now) {
                stuck.append(' ').append(n);
            }
        }
        throw new IllegalStateException("node(s)" + stuck + " stay due at t=" + now + " after "
                + MAX_ROUNDS_PER_INSTANT + " polls (seed " + seed + ")");
    }

    /** The earliest wakeup time of any live node, never before now. */
    long nextWakeup() {
        long next = Long.MAX_VALUE;
        for (Node n : liveNodes()) {
            next = Math.min(next, n.nextWakeupMs());
        }
        return Math.max(next, clock.milliseconds());
    }

    /** The live nodes in poll order: built again only after {@link #invalidate()}. */
    Node[] liveNodes() {
        if (live == null) {
            live = liveNodeBuilder.get();
        }
        return live;
    }
}
