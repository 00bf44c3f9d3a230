package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/** A data batch was appended to the partition log (not yet durable: see BrokerFlush). */
public record BrokerAppend(int broker, TopicPartition topicPartition, long producerId, short producerEpoch, int baseSequence, long baseOffset, List<Long> recordIds, boolean transactional) implements Event {
    public BrokerAppend {
        recordIds = List.copyOf(recordIds);
    }
}
