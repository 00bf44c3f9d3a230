package dev.deliverycheck.protocol;

import java.util.List;

/**
 * Records of one partition from the fetch offset. For READ_COMMITTED the broker stops at the
 * last stable offset and leaves out records of aborted transactions and control batches; for
 * READ_UNCOMMITTED it returns every data record up to the high watermark.
 */
public record FetchResponse(int correlationId, TopicPartition topicPartition, Errors error, long highWatermark,
                            long lastStableOffset, List<FetchedRecord> records) implements Response {
    public FetchResponse {
        records = List.copyOf(records);
    }

    /** A record with its offset and the producer id/epoch of its batch. */
    public record FetchedRecord(long offset, long producerId, short producerEpoch, Record record) {
    }
}
