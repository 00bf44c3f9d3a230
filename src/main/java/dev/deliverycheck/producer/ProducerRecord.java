package dev.deliverycheck.producer;

import dev.deliverycheck.protocol.Header;
import java.util.List;
import java.util.Objects;

/**
 * A record to send, Kafka's {@code ProducerRecord}: a topic, an optional partition (null lets the
 * partitioner choose), an optional key (null means keyless), a value and headers. deliverycheck's
 * simulation passes the record's unique id as the header {@code Record.idHeader(id)}.
 */
public record ProducerRecord<K, V>(String topic, Integer partition, K key, V value, List<Header> headers) {
    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("Invalid partition: " + partition + ". Partition number should always be non-negative or null.");
        }
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, key, value, List.of());
    }

    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, key, value, List.of());
    }

    public ProducerRecord(String topic, V value) {
        this(topic, null, null, value, List.of());
    }
}
