package dev.deliverycheck.producer;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * The producer as an application uses it, Kafka's {@code Producer} interface.
 *
 * <p>{@code send} is asynchronous: it returns once the record is in the accumulator (it blocks
 * up to {@code max.block.ms} only while the buffer memory is exhausted); the future and the
 * callback report the outcome. A send never fails silently: every future completes, with the
 * record's metadata or with an exception.
 */
public interface Producer<K, V> extends AutoCloseable {
    Future<RecordMetadata> send(ProducerRecord<K, V> record);

    Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    /** Makes every buffered record sendable at once and blocks until all records sent before the call completed. */
    void flush();

    /** Sends what is buffered, waiting up to {@code timeout}; then fails whatever is still outstanding. */
    void close(Duration timeout);

    @Override
    default void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    /** Gets a producer id and epoch for the {@code transactional.id}, fencing older instances. */
    void initTransactions();

    void beginTransaction();

    void commitTransaction();

    void abortTransaction();
}
