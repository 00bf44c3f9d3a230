package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/** Retransmission of a batch after a retriable error or a request timeout; keeps id, epoch and sequence. {@code attempt} counts from 1. */
public record ProducerRetry(int producer, int broker, int correlationId, TopicPartition topicPartition, long producerId, short producerEpoch, int baseSequence, List<Long> recordIds, int attempt) implements Event {
    public ProducerRetry {
        recordIds = List.copyOf(recordIds);
    }
}
