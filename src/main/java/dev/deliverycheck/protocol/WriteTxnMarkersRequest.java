package dev.deliverycheck.protocol;

import java.util.List;

/** Sent by the transaction coordinator to partition leaders: append a COMMIT/ABORT marker. */
public record WriteTxnMarkersRequest(int correlationId, long producerId, short producerEpoch, ControlType type,
                                     List<TopicPartition> partitions) implements Request {
    public WriteTxnMarkersRequest {
        partitions = List.copyOf(partitions);
    }
}
