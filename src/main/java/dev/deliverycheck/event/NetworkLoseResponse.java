package dev.deliverycheck.event;

/** A response (ACK) was dropped by the network. */
public record NetworkLoseResponse(int source, int destination, int correlationId, String messageType) implements Event {
}
