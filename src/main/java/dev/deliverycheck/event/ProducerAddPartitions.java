package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/** AddPartitionsToTxn sent before the first write to these partitions in the transaction. */
public record ProducerAddPartitions(int producer, String transactionalId, long producerId, short producerEpoch, List<TopicPartition> partitions) implements Event {
    public ProducerAddPartitions {
        partitions = List.copyOf(partitions);
    }
}
