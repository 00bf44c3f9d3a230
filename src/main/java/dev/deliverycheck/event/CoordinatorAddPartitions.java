package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/** Partitions were added to the ongoing transaction (state Ongoing). */
public record CoordinatorAddPartitions(int broker, String transactionalId, long producerId, short producerEpoch, List<TopicPartition> partitions) implements Event {
    public CoordinatorAddPartitions {
        partitions = List.copyOf(partitions);
    }
}
