package dev.deliverycheck.event;

/** The broker lost its memory, its in-flight requests and the unflushed tail of its storage. */
public record BrokerCrash(int broker) implements Event {
}
