package dev.deliverycheck.producer;

/**
 * Kafka's send callback: called exactly once per record when its send completes, with the
 * metadata on success or the exception on failure (the metadata then has offset -1).
 */
@FunctionalInterface
public interface Callback {
    void onCompletion(RecordMetadata metadata, Exception exception);
}
