package dev.deliverycheck.protocol;

import java.util.Map;

/** Kafka's Produce response: per partition an error and the base offset of the appended batch. */
public record ProduceResponse(int correlationId, Map<TopicPartition, PartitionResult> results) implements Response {
    public ProduceResponse {
        results = Map.copyOf(results);
    }

    /** Outcome for one partition; {@code baseOffset} is -1 on error. */
    public record PartitionResult(Errors error, long baseOffset, String errorMessage) {
        public static PartitionResult ok(long baseOffset) {
            return new PartitionResult(Errors.NONE, baseOffset, null);
        }

        public static PartitionResult error(Errors error, String message) {
            return new PartitionResult(error, -1L, message);
        }
    }
}
