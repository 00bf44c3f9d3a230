package dev.deliverycheck.event;

import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/** A reader fetched the whole partition: the offsets and record ids it saw, in log order. */
public record ConsumerFetch(TopicPartition topicPartition, IsolationLevel isolation, List<Long> offsets, List<Long> recordIds) implements Event {
    public ConsumerFetch {
        offsets = List.copyOf(offsets);
        recordIds = List.copyOf(recordIds);
    }
}
