package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/** First transmission of a drained batch in a Produce request (ids, epoch and sequence stamped at drain). */
public record ProducerSendBatch(int producer, int broker, int correlationId, TopicPartition topicPartition, long producerId, short producerEpoch, int baseSequence, List<Long> recordIds) implements Event {
    public ProducerSendBatch {
        recordIds = List.copyOf(recordIds);
    }
}
