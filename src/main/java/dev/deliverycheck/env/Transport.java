package dev.deliverycheck.env;

import dev.deliverycheck.protocol.Message;

/**
 * Sends a message to another node. Fire and forget: the message may be lost, delayed or
 * reordered by the network; an answer, if any, arrives later through
 * {@link Node#receive(int, Message)}. The sending node's own id is known to the transport.
 */
@FunctionalInterface
public interface Transport {
    void send(int destination, Message message);

    /**
     * Closes the connection to {@code peer}, as Kafka's NetworkClient does when a request on it
     * has waited {@code request.timeout.ms}: whatever is still on the wire in either direction
     * is lost, so a timed-out request can never be acted on after its sender gave up on it and
     * sent it again. The closing node gives up its own requests to the peer itself; the peer
     * learns of the disconnect through {@link Node#disconnected} (the simulated network tells both
     * ends, as for any reset, so handling a disconnect already handled must change nothing).
     *
     * <p>Default: nothing to cut, for transports that hand every message over at once (the tests'
     * in-process transports, LocalCluster's broker thread); a transport that can hold messages,
     * such as the simulated network, must override it.
     */
    default void disconnect(int peer) {
    }
}
