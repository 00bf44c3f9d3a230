package dev.deliverycheck.protocol;

import java.util.Map;

public record WriteTxnMarkersResponse(int correlationId, Map<TopicPartition, Errors> results) implements Response {
    public WriteTxnMarkersResponse {
        results = Map.copyOf(results);
    }
}
