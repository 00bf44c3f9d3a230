package dev.deliverycheck.protocol;

/** Read a partition from an offset, at most {@code maxRecords} records, with an isolation level. */
public record FetchRequest(int correlationId, TopicPartition topicPartition, long fetchOffset, int maxRecords,
                           IsolationLevel isolation) implements Request {
}
