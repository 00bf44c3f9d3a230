package dev.deliverycheck.event;

/** The broker started again on its storage. */
public record BrokerRestart(int broker) implements Event {
}
