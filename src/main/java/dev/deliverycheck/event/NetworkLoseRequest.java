package dev.deliverycheck.event;

/** A request was dropped by the network. */
public record NetworkLoseRequest(int source, int destination, int correlationId, String messageType) implements Event {
}
