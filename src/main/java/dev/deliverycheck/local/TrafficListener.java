package dev.deliverycheck.local;

import dev.deliverycheck.protocol.Message;

/**
 * Sees every message a {@link LocalCluster} node sends, on the sending node's thread, before the
 * message is handed on. Benchmarks count Produce requests, batches and records with it.
 * Implementations must be thread-safe (producer I/O threads and the broker thread call it) and
 * quick (they run inside the send path).
 */
@FunctionalInterface
public interface TrafficListener {
    TrafficListener NONE = (source, destination, message) -> { };

    void onSend(int source, int destination, Message message);
}
