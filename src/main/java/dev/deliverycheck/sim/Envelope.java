package dev.deliverycheck.sim;

import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.Request;

/** A message in flight from {@code source} to {@code destination}, deliverable from {@code deliverAtMs}. */
public record Envelope(long sequence, int source, int destination, Message message, long deliverAtMs) {
    public boolean isRequest() {
        return message instanceof Request;
    }

    /** Short message type name, e.g. "ProduceRequest". */
    public String type() {
        return message.getClass().getSimpleName();
    }
}
