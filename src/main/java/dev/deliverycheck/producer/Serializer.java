package dev.deliverycheck.producer;

/**
 * Turns a key or value into bytes, Kafka's {@code Serializer}. A null value stays null (Kafka
 * writes no bytes for it), so a null key still means "keyless" after serialization.
 */
@FunctionalInterface
public interface Serializer<T> {
    byte[] serialize(String topic, T data);
}
