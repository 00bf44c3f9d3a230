package dev.deliverycheck.env;

import dev.deliverycheck.protocol.Message;

/**
 * A participant in a cluster (broker or producer), driven from outside: messages are handed in
 * by {@link #receive}, time-driven work happens in {@link #poll}. Neither call blocks.
 */
public interface Node {
    /** Handles a message from node {@code source}. */
    void receive(int source, Message message);

    /** Does whatever is due at the current time of the node's clock (timeouts, linger, retries). */
    void poll();

    /**
     * The earliest clock time at which {@link #poll} has work to do, or {@link Long#MAX_VALUE}
     * if none is scheduled. Lets a simulation jump virtual time instead of ticking.
     */
    long nextWakeupMs();

    /**
     * The connection to {@code peer} was closed (the peer crashed, or the network reset the
     * connection). Every request in flight to the peer will never be answered. Kafka's
     * NetworkClient notices a disconnect at once and fails those requests, so a node need not
     * wait for a request timeout. Default: nothing to do.
     */
    default void disconnected(int peer) {
    }
}
