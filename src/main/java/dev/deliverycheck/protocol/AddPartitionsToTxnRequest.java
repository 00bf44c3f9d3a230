package dev.deliverycheck.protocol;

import java.util.List;

/**
 * Kafka's AddPartitionsToTxn. Sent by the producer before its first write to a partition in a
 * transaction; with {@code verifyOnly} sent by a partition leader to the coordinator to check
 * that the partition is in an ongoing transaction of this producer id and epoch (KIP-890 part 1).
 */
public record AddPartitionsToTxnRequest(int correlationId, String transactionalId, long producerId,
                                        short producerEpoch, List<TopicPartition> partitions, boolean verifyOnly)
        implements Request {
    public AddPartitionsToTxnRequest {
        partitions = List.copyOf(partitions);
    }
}
