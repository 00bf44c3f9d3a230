package dev.deliverycheck.protocol;

/** A reader's isolation level, Kafka's {@code isolation.level}. The consumer default is READ_UNCOMMITTED. */
public enum IsolationLevel {
    READ_UNCOMMITTED,
    READ_COMMITTED
}
