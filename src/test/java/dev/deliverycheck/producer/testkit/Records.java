package dev.deliverycheck.producer.testkit;

import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.protocol.Record;
import java.util.List;

/** Records tagged with deliverycheck's unique id header, as the simulation sends them. */
public final class Records {
    private Records() {
    }

    public static ProducerRecord<String, String> keyed(String topic, long id, String key, String value) {
        return new ProducerRecord<>(topic, null, key, value, List.of(Record.idHeader(id)));
    }

    public static ProducerRecord<String, String> keyless(String topic, long id, String value) {
        return new ProducerRecord<>(topic, null, null, value, List.of(Record.idHeader(id)));
    }

    public static ProducerRecord<String, String> toPartition(String topic, int partition, long id, String value) {
        return new ProducerRecord<>(topic, partition, null, value, List.of(Record.idHeader(id)));
    }
}
