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
}
