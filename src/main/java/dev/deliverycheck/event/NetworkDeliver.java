package dev.deliverycheck.event;

/** A message reached its destination. */
public record NetworkDeliver(int source, int destination, int correlationId, String messageType) implements Event {
}
